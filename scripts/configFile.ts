import { readFile } from 'node:fs/promises';
import { parseExperimentConfig, type ExperimentConfig } from '../src/config/experimentConfig';
import { ConfigError } from '../src/schema/schema';

/** An experiment config file, read and checked; otherwise the message to print (the file, then what is wrong). */
export async function readConfigFile(path: string): Promise<ExperimentConfig | string> {
  try {
    return parseExperimentConfig(JSON.parse(await readFile(path, 'utf8')));
  } catch (e) {
    const why = e instanceof ConfigError || e instanceof SyntaxError ? e.message : `cannot read it: ${(e as Error).message}`;
    return `${path}: ${why}`;
  }
}
