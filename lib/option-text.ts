// How the option spec reads for people: flag and variable names, what an option accepts, its default. Shared by
// the CLI's flags and help, the README tables and the tests, so that each says it the same way.
import { OPTION_SPEC, type CliSpelling, type OptionName, type OptionSpec } from './option-spec.js'

/** `logGroupName` -> `log-group-name`. */
export function kebab (name: string): string {
  return name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)
}

/** The environment variable of a flag: `LOGBEAM_<FLAG_IN_UPPER_SNAKE_CASE>`. */
export function envVariable (flag: string): string {
  return `LOGBEAM_${flag.toUpperCase().replaceAll('-', '_')}`
}

/** The CLI flag of an option (without `--`), or undefined for library-only options. */
export function flagOf (name: OptionName): string | undefined {
  const cli: CliSpelling | false = OPTION_SPEC[name].cli
  return cli === false ? undefined : cli.flag ?? kebab(name)
}

/** What an option accepts, in words: `1 to 64`, `at least 3145728`, `split, truncate`, or its `accepts`. */
export function acceptsText (spec: OptionSpec): string {
  if (spec.kind === 'integer') {
    return spec.max === Number.MAX_SAFE_INTEGER ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`
  }
  if (spec.kind === 'choice') return spec.choices!.join(', ')
  if (spec.kind === 'boolean') return 'true, false'
  return spec.accepts ?? ''
}

/** The default for people, with its unit: `10000 ms`, `'time'` as `time`, or `(never expire)`. */
export function defaultText (spec: OptionSpec, value: OptionSpec['default'] = spec.default): string {
  if (spec.required) return '(required)'
  if (value === undefined) return `(${spec.absent})`
  if (typeof value === 'object') return '{}'
  return spec.unit === 'ms' ? `${value} ms` : String(value)
}
