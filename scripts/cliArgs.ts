import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The command line read by node:util's parseArgs (strict: an unknown option or a missing value is an error),
 * with its errors said in this project's words. Returns the values and positionals, or the message to print
 * before the usage line (exit code 2).
 */
export function readArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const name = /'([^']+)'/.exec((e as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${name.split(' ')[0]} needs a value`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${name}'`;
    return (e as Error).message;
  }
}
