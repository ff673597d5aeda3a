import { ConfigError } from '../schema/schema';

/** A ConfigError inside a loss's options. */
export class LossConfigError extends ConfigError {
  override name = 'LossConfigError';
}

/** Thrown for inputs a loss cannot take; the message names the tensor and the problem. */
export class LossInputError extends Error {
  override name = 'LossInputError';
}
