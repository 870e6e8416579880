import {
  CLI_FLAGS, OPTION_SPEC, type CliOnlySpec, type CliSpelling, type CliTarget, type OptionName, type OptionSpec
} from '../option-spec.js'
import { acceptsText, defaultText, envVariable, flagOf } from '../option-text.js'

/** Where a flag's value goes: an option of the transport, a client setting, or the CLI itself. */
export type FlagTarget = { option: OptionName } | CliTarget

export type FlagKind = 'string' | 'integer' | 'boolean' | 'choice' | 'tag' | 'json' | 'url'

export interface Flag {
  /** Kebab-case name, without the leading `--`. */
  name: string
  kind: FlagKind
  /** Placeholder for the value in the help text (none for booleans). */
  value?: string
  choices?: readonly string[]
  /** Accepts `--no-<name>` to turn it off. */
  negatable?: boolean
  /** Can be given more than once. */
  repeatable?: boolean
  /** The default, as shown to people: a value, or a note in parentheses. */
  default: string
  description: string
  target: FlagTarget
  /** False for flags that make no sense in the environment (--help, --version). */
  env?: boolean
}

/** How the CLI reads an option's text: numbers are converted here, then checked by resolveOptions. */
function flagKind (spec: OptionSpec, cli: CliSpelling): FlagKind {
  if (spec.kind === 'integer') return 'integer'
  if (spec.kind === 'boolean') return 'boolean'
  if (spec.kind === 'choice') return spec.choices!.every(c => typeof c === 'number') ? 'integer' : 'choice'
  if (spec.kind === 'object') return cli.json ? 'json' : 'tag'
  return 'string'
}

function optionFlag (option: OptionName, spec: OptionSpec, cli: CliSpelling): Flag {
  const kind = flagKind(spec, cli)
  const unit = spec.unit ? ` (${spec.unit})` : ''
  // The range goes into the description, so the help and the README flags table document it too.
  const range = kind === 'integer' || kind === 'choice' ? ` Accepts ${acceptsText(spec)}${unit}.` : ''
  return {
    name: flagOf(option)!,
    kind,
    value: cli.value,
    choices: kind === 'choice' ? spec.choices as readonly string[] : undefined,
    negatable: cli.negatable,
    repeatable: cli.repeatable,
    default: defaultText(spec, cli.default ?? spec.default),
    description: (cli.doc ?? spec.doc).replaceAll('`', '') + range,
    target: { option }
  }
}

function cliOnlyFlag (spec: CliOnlySpec): Flag {
  return {
    name: spec.flag,
    kind: spec.kind,
    value: spec.value,
    default: spec.default,
    description: spec.doc.replaceAll('`', ''),
    target: spec.target,
    env: spec.env
  }
}

/**
 * Every flag of pino-cloudwatch, in help order, from the option spec: the parser, the help text, the environment
 * variables and the README table all come from this one list.
 */
export const FLAGS: readonly Flag[] = (() => {
  const flags: Flag[] = []
  for (const [option, spec] of Object.entries(OPTION_SPEC) as Array<[OptionName, OptionSpec]>) {
    if (spec.cli !== false) flags.push(optionFlag(option, spec, spec.cli))
    for (const extra of CLI_FLAGS) if (extra.after === option) flags.push(cliOnlyFlag(extra))
  }
  for (const extra of CLI_FLAGS) if (extra.after === undefined) flags.push(cliOnlyFlag(extra))
  return flags
})()

/** Values the CLI applies where the library's default does not suit a pipe (overflow: block). */
export const CLI_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
  (Object.entries(OPTION_SPEC) as Array<[OptionName, OptionSpec]>)
    .filter(([, spec]) => spec.cli !== false && spec.cli.default !== undefined)
    .map(([option, spec]) => [option, (spec.cli as CliSpelling).default])
)

/** `LOGBEAM_<UPPER_SNAKE>` of a flag, or undefined for flags that have none. */
export function envName (flag: Flag): string | undefined {
  return flag.env === false ? undefined : envVariable(flag.name)
}

/**
 * The flag that sets an option (or a client setting, `clientConfig.region`, or a setting inside an object-valued
 * option, `metrics.fields.latencyMs`), for messages that name it.
 */
export function flagForOption (option: string): Flag | undefined {
  const setting = /^clientConfig\.(\w+)$/.exec(option)?.[1]
  if (setting !== undefined) return FLAGS.find(f => 'client' in f.target && f.target.client === setting)
  const name = option.split('.')[0]
  return FLAGS.find(f => 'option' in f.target && f.target.option === name) ??
    (option === 'stderr' ? FLAGS.find(f => f.name === 'quiet') : undefined)
}
