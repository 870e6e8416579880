import { parseArgs } from 'node:util'
import { describeParseError, parseConfig } from '../../cli-text.js'
import { isLogGroupName } from '../../cloudwatch/rules.js'
import { UsageError } from '../args.js'
import { TAIL_FLAGS, TAIL_LIMITS, type Output, type TailFlag } from './flags.js'
import { parseTimeSpec } from './time-spec.js'

/** pino-pretty's options the flags pass through (output pretty). */
export interface PrettySettings {
  colorize?: boolean
  levelFirst?: boolean
  translateTime?: string | boolean
  ignore?: string
  include?: string
  singleLine?: boolean
  hideObject?: boolean
  minimumLevel?: string
  messageKey?: string
  messageFormat?: string
}

/** What `pino-cloudwatch tail` was asked to do, checked and with its times resolved. */
export interface TailSettings {
  action: 'tail' | 'help'
  /** Names or ARNs, as given. */
  groups: string[]
  streams?: string[]
  prefix?: string
  filter?: string
  /** Epoch ms. */
  since: number
  until?: number
  follow: boolean
  live: boolean
  /** Undefined: pretty on a terminal, raw otherwise (decided where stdout is known). */
  output?: Output
  joinParts: boolean
  pollInterval: number
  followLookback: number
  quiet: boolean
  client: { region?: string, endpoint?: string, profile?: string }
  pretty: PrettySettings
}

type Raw = string | boolean | string[]

const PARSE_CONFIG = parseConfig(TAIL_FLAGS)

const BY_NAME = new Map(TAIL_FLAGS.map(f => [f.name, f]))

/** argv (after `tail`) and the environment -> settings; flags win over variables. Throws UsageError. */
export function parseTailArgs (argv: string[], env: NodeJS.ProcessEnv, now: number): TailSettings {
  const raw = rawValues(argv, env)
  const defaults = { since: '10m', pollInterval: 1000, followLookback: 30_000 }
  const settings: TailSettings = {
    action: raw.get('help')?.value === true ? 'help' : 'tail',
    groups: [],
    since: 0,
    follow: false,
    live: false,
    joinParts: true,
    pollInterval: defaults.pollInterval,
    followLookback: defaults.followLookback,
    quiet: false,
    client: {},
    pretty: {}
  }
  if (settings.action === 'help') return settings
  const value = <T>(name: string, fallback?: T): T => (raw.has(name) ? convert(raw.get(name)!) : fallback) as T
  settings.groups = value<string[]>('log-group-name', [])
  settings.streams = value<string[] | undefined>('log-stream-name')
  settings.prefix = value<string | undefined>('log-stream-name-prefix')
  settings.filter = value<string | undefined>('filter')
  settings.follow = value('follow', false)
  settings.live = value('live', false)
  settings.output = value<Output | undefined>('output')
  settings.joinParts = value('join-parts', true)
  settings.pollInterval = value('poll-interval', defaults.pollInterval)
  settings.followLookback = value('follow-lookback', defaults.followLookback)
  settings.quiet = value('quiet', false)
  for (const setting of ['region', 'endpoint', 'profile'] as const) {
    const given = value<string | undefined>(setting)
    if (given !== undefined) settings.client[setting] = given
  }
  settings.pretty = prettySettings(value)
  settings.since = time(raw.get('since') ?? { source: '--since', value: defaults.since }, now)
  if (raw.has('until')) settings.until = time(raw.get('until')!, now)
  check(settings, raw)
  return settings
}

interface Given { source: string, value: Raw, flag?: TailFlag }

function rawValues (argv: string[], env: NodeJS.ProcessEnv): Map<string, Given> {
  let tokens
  try {
    tokens = parseArgs({ args: argv, options: PARSE_CONFIG, strict: true, allowPositionals: false, tokens: true })
      .tokens
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }, 'pino-cloudwatch tail takes flags only'))
  }
  const raw = new Map<string, Given>()
  for (const flag of TAIL_FLAGS) {
    const text = flag.env === undefined ? undefined : env[flag.env]
    // An empty variable counts as unset, as the shell's `VAR= cmd` idiom expects.
    if (text === undefined || text === '') continue
    const source = `${flag.env} (--${flag.name})`
    const value = flag.kind === 'boolean'
      ? envBoolean(text, source)
      : flag.repeatable ? text.split(',').filter(t => t !== '') : text
    raw.set(flag.name, { flag, source, value })
  }
  const fromFlags = new Set<string>()
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const negated = token.name.startsWith('no-') && BY_NAME.get(token.name.slice(3))?.negatable === true
    const flag = BY_NAME.get(negated ? token.name.slice(3) : token.name)!
    const source = `--${flag.name}`
    let value: Raw
    if (negated) value = false
    else if (flag.kind === 'boolean') value = true
    else if (flag.repeatable) {
      value = [...(fromFlags.has(flag.name) ? raw.get(flag.name)!.value as string[] : []), token.value!]
    } else value = token.value ?? ''
    raw.set(flag.name, { flag, source, value })
    fromFlags.add(flag.name)
  }
  return raw
}

function convert (given: Given): unknown {
  const { flag, source, value } = given
  const bad = (why: string): UsageError =>
    new UsageError(`invalid value for ${source}: ${why}, got ${JSON.stringify(value)}`)
  if (typeof value === 'boolean') return value
  if (Array.isArray(value)) {
    if (value.some(v => v === '')) throw bad('expected non-empty values')
    return value
  }
  switch (flag!.kind) {
    case 'integer': {
      const n = /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN
      if (!(n >= flag!.min! && n <= flag!.max!)) throw bad(`expected a whole number from ${flag!.min} to ${flag!.max}`)
      return n
    }
    case 'choice':
      if (!flag!.choices!.includes(value)) throw bad(`expected one of ${flag!.choices!.join(', ')}`)
      return value
    case 'url': {
      let protocol: string | undefined
      try { protocol = new URL(value).protocol } catch { /* reported below */ }
      if (protocol !== 'http:' && protocol !== 'https:') throw bad('expected an http:// or https:// URL')
      return value
    }
    default:
      if (value === '') throw bad('expected a non-empty value')
      return value
  }
}

function prettySettings (value: <T>(name: string, fallback?: T) => T): PrettySettings {
  const pretty: PrettySettings = {}
  const names = {
    colorize: 'colorize',
    levelFirst: 'level-first',
    translateTime: 'translate-time',
    ignore: 'ignore',
    include: 'include',
    singleLine: 'single-line',
    hideObject: 'hide-object',
    minimumLevel: 'minimum-level',
    messageKey: 'message-key',
    messageFormat: 'message-format'
  } as const
  for (const [option, flag] of Object.entries(names) as Array<[keyof PrettySettings, string]>) {
    const given = value<string | boolean | undefined>(flag)
    if (given !== undefined) (pretty as Record<string, unknown>)[option] = given
  }
  // From the environment the switch off is written as a value (LOGBEAM_TAIL_TRANSLATE_TIME=false).
  if (pretty.translateTime === 'false') pretty.translateTime = false
  return pretty
}

function time (given: Given, now: number): number {
  const at = parseTimeSpec(String(given.value), now)
  if (typeof at === 'number') return at
  throw new UsageError(`invalid value for ${given.source}: ${at.problem}, got ${JSON.stringify(given.value)}`)
}

const ARN = /^arn:[a-z-]+:logs:[^:]*:\d*:log-group:[^:*]+(?::\*)?$/

/** The rules of FilterLogEvents and StartLiveTail, checked before any call so that the message names the flags. */
function check (s: TailSettings, raw: Map<string, Given>): void {
  if (s.groups.length === 0) throw new UsageError('--log-group-name is required (or set LOGBEAM_LOG_GROUP_NAME)')
  for (const group of s.groups) {
    if (!isLogGroupName(group) && !ARN.test(group)) {
      throw new UsageError('invalid value for --log-group-name: expected a log group name or ARN, ' +
        `got ${JSON.stringify(group)}`)
    }
  }
  const streams = s.streams ?? []
  if (streams.length > 0 && s.prefix !== undefined) {
    throw new UsageError('--log-stream-name and --log-stream-name-prefix cannot be used together ' +
      '(CloudWatch takes one or the other)')
  }
  if (streams.length > TAIL_LIMITS.maxStreams) {
    throw new UsageError(`--log-stream-name: at most ${TAIL_LIMITS.maxStreams} streams`)
  }
  if (s.live) {
    if (s.groups.length > TAIL_LIMITS.maxLiveGroups) {
      throw new UsageError(`--live reads at most ${TAIL_LIMITS.maxLiveGroups} log groups, got ${s.groups.length}`)
    }
    if (s.groups.length > 1 && (streams.length > 0 || s.prefix !== undefined)) {
      throw new UsageError('--live with several log groups cannot select streams ' +
        '(StartLiveTail takes stream names and prefixes for one group only)')
    }
    for (const name of ['since', 'until'] as const) {
      if (raw.has(name)) {
        throw new UsageError(`--${name} reads history, which --live does not: leave out one or the other`)
      }
    }
  } else if (s.groups.length > 1) {
    throw new UsageError('several --log-group-name values need --live (FilterLogEvents reads one log group)')
  }
  if (s.follow && raw.has('until')) {
    throw new UsageError('--until ends the reading, --follow never does: leave out one or the other')
  }
  if (s.until !== undefined && s.until < s.since) throw new UsageError('--until is before --since')
}

function envBoolean (text: string, source: string): boolean {
  const lower = text.toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(lower)) return true
  if (['false', '0', 'no', 'off'].includes(lower)) return false
  throw new UsageError(`invalid value for ${source}: expected true or false, got ${JSON.stringify(text)}`)
}
