// Every flag of `pino-cloudwatch tail`, in help order: the parser (args.ts), the help text and the README table
// (help.ts) all come from this one list. A flag that means what the shipping flag of the same name means
// (--log-group-name, --region, --endpoint, --profile, --quiet) reads the same LOGBEAM_* variable, so one
// environment serves both; the others read LOGBEAM_TAIL_<FLAG>: LOGBEAM_LOG_STREAM_NAME is the shipping template.
import { envVariable } from '../../option-text.js'

export type TailFlagKind = 'string' | 'integer' | 'boolean' | 'choice' | 'url'

/** Where the help lists a flag. */
export type TailSection = 'read' | 'output' | 'pretty' | 'connection'

export interface TailFlag {
  /** Kebab-case name, without the leading `--`. */
  name: string
  kind: TailFlagKind
  /** Placeholder for the value in the help text (none for booleans). */
  value?: string
  choices?: readonly string[]
  /** Accepts `--no-<name>` to turn it off. */
  negatable?: true
  /** Can be given more than once (in the environment: comma-separated). */
  repeatable?: true
  /** Bounds of an integer, both included. */
  min?: number
  max?: number
  /** The default, as shown to people: a value, or a note in parentheses. */
  default: string
  description: string
  /** Its environment variable; none for --help. */
  env?: string
  section: TailSection
}

export const OUTPUTS = ['pretty', 'json', 'raw'] as const
export type Output = typeof OUTPUTS[number]

/** The bounds the flags accept; the polling and Live Tail code take them as given. */
export const TAIL_LIMITS = {
  /** Log groups in one Live Tail session (StartLiveTail's limit); FilterLogEvents reads one. */
  maxLiveGroups: 10,
  /** Stream names in one FilterLogEvents or StartLiveTail request. */
  maxStreams: 100
} as const

const shared = (name: string): string => envVariable(name)
const own = (name: string): string => envVariable(`tail-${name}`)

const flag = (spec: Omit<TailFlag, 'env'> & { env?: 'shared' | 'none' }): TailFlag => {
  const { env, ...rest } = spec
  return env === 'none' ? rest : { ...rest, env: env === 'shared' ? shared(spec.name) : own(spec.name) }
}

export const TAIL_FLAGS: readonly TailFlag[] = [
  flag({
    name: 'log-group-name',
    kind: 'string',
    value: 'NAME',
    repeatable: true,
    default: '(required)',
    description: 'Log group to read, by name or ARN. ' +
      `Repeat it for up to ${TAIL_LIMITS.maxLiveGroups} groups with --live.`,
    env: 'shared',
    section: 'read'
  }),
  flag({
    name: 'log-stream-name',
    kind: 'string',
    value: 'NAME',
    repeatable: true,
    default: '(every stream)',
    description: `Only this log stream; repeat it for more (up to ${TAIL_LIMITS.maxStreams}).`,
    section: 'read'
  }),
  flag({
    name: 'log-stream-name-prefix',
    kind: 'string',
    value: 'PREFIX',
    default: '(every stream)',
    description: 'Only the log streams whose names start with PREFIX (not with --log-stream-name).',
    section: 'read'
  }),
  flag({
    name: 'filter',
    kind: 'string',
    value: 'PATTERN',
    default: '(every event)',
    description: 'Only events matching this CloudWatch filter pattern: terms (all must appear), "a phrase", ' +
      '{ $.level >= 50 }, ... The service applies it; logbeam-local knows terms and phrases only.',
    section: 'read'
  }),
  flag({
    name: 'since',
    kind: 'string',
    value: 'TIME',
    default: '10m',
    description: 'Start of the history: a time ago (30s, 10m, 2h, 1d, 1w) or an ISO 8601 date or time ' +
      '(2026-12-01, 2026-12-01T08:00:00Z; a time without an offset is local).',
    section: 'read'
  }),
  flag({
    name: 'until',
    kind: 'string',
    value: 'TIME',
    default: '(now)',
    description: 'End of the history, written like --since; not with --follow.',
    section: 'read'
  }),
  flag({
    name: 'follow',
    kind: 'boolean',
    default: 'false',
    description: 'After the history, keep printing new events (FilterLogEvents polls) until interrupted.',
    section: 'read'
  }),
  flag({
    name: 'live',
    kind: 'boolean',
    default: 'false',
    description: 'Print new events as CloudWatch Live Tail streams them (StartLiveTail), instead of reading history ' +
      'and polling: no history, about a second behind, sampled above 500 events a second.',
    section: 'read'
  }),
  flag({
    name: 'poll-interval',
    kind: 'integer',
    value: 'MS',
    min: 200,
    max: 60_000,
    default: '1000 ms',
    description: 'With --follow: time between two polls. Accepts 200 to 60000 (ms).',
    section: 'read'
  }),
  flag({
    name: 'follow-lookback',
    kind: 'integer',
    value: 'MS',
    min: 0,
    max: 3_600_000,
    default: '30000 ms',
    description: 'With --follow: how far behind the newest event each poll reads again, to catch events stored late ' +
      '(shippers buffer: logbeam up to --buffer-duration); events already printed are skipped by their ID. ' +
      'Accepts 0 to 3600000 (ms).',
    section: 'read'
  }),
  flag({
    name: 'output',
    kind: 'choice',
    value: 'FORMAT',
    choices: OUTPUTS,
    default: '(pretty on a terminal, raw otherwise)',
    description: 'pretty: each pino line as pino-pretty prints it; json: one object per event (timestamp, ' +
      'ingestionTime, group, stream, message); raw: each message exactly as stored, one per line. Lines that are ' +
      'not JSON print as they are.',
    section: 'output'
  }),
  flag({
    name: 'join-parts',
    kind: 'boolean',
    negatable: true,
    default: 'true',
    description: 'Print a line logbeam split for size (over 1 MB) as the one line it was; with --no-join-parts ' +
      'each stored part prints on a line of its own.',
    section: 'output'
  }),
  flag({
    name: 'colorize',
    kind: 'boolean',
    negatable: true,
    default: '(on a terminal, unless NO_COLOR is set)',
    description: 'pino-pretty\'s --colorize.',
    section: 'pretty'
  }),
  flag({
    name: 'level-first',
    kind: 'boolean',
    default: 'false',
    description: 'pino-pretty\'s --levelFirst: the level before the time.',
    section: 'pretty'
  }),
  flag({
    name: 'translate-time',
    kind: 'string',
    value: 'FORMAT',
    negatable: true,
    default: '(pino-pretty\'s: HH:MM:ss.l in UTC)',
    description: 'pino-pretty\'s --translateTime: a dateformat pattern, SYS: in front for local time ' +
      '(SYS:standard); --no-translate-time prints the epoch.',
    section: 'pretty'
  }),
  flag({
    name: 'ignore',
    kind: 'string',
    value: 'KEYS',
    default: 'hostname',
    description: 'pino-pretty\'s --ignore: keys left out, comma-separated.',
    section: 'pretty'
  }),
  flag({
    name: 'include',
    kind: 'string',
    value: 'KEYS',
    default: '(every key)',
    description: 'pino-pretty\'s --include: the only keys shown, comma-separated.',
    section: 'pretty'
  }),
  flag({
    name: 'single-line',
    kind: 'boolean',
    default: 'false',
    description: 'pino-pretty\'s --singleLine: objects on the line of the message.',
    section: 'pretty'
  }),
  flag({
    name: 'hide-object',
    kind: 'boolean',
    default: 'false',
    description: 'pino-pretty\'s --hideObject: no object keys, errors aside.',
    section: 'pretty'
  }),
  flag({
    name: 'minimum-level',
    kind: 'string',
    value: 'LEVEL',
    default: '(every level)',
    description: 'pino-pretty\'s --minimumLevel: lines below it are not printed (pretty output only; ' +
      '--filter \'{ $.level >= 50 }\' selects in CloudWatch for every output).',
    section: 'pretty'
  }),
  flag({
    name: 'message-key',
    kind: 'string',
    value: 'KEY',
    default: 'msg',
    description: 'pino-pretty\'s --messageKey.',
    section: 'pretty'
  }),
  flag({
    name: 'message-format',
    kind: 'string',
    value: 'FORMAT',
    default: '(the message)',
    description: 'pino-pretty\'s --messageFormat, such as \'{req.method} {msg}\'.',
    section: 'pretty'
  }),
  flag({
    name: 'region',
    kind: 'string',
    value: 'REGION',
    default: '(AWS_REGION, then the profile)',
    description: 'AWS region.',
    env: 'shared',
    section: 'connection'
  }),
  flag({
    name: 'endpoint',
    kind: 'url',
    value: 'URL',
    default: '(AWS_ENDPOINT_URL, then the region\'s endpoint)',
    description: 'CloudWatch Logs endpoint (logbeam-local, an emulator, a VPC endpoint).',
    env: 'shared',
    section: 'connection'
  }),
  flag({
    name: 'profile',
    kind: 'string',
    value: 'NAME',
    default: '(AWS_PROFILE, then default)',
    description: 'Profile of the shared AWS config and credentials files.',
    env: 'shared',
    section: 'connection'
  }),
  flag({
    name: 'quiet',
    kind: 'boolean',
    default: 'false',
    description: 'No notices on stderr (sampling, reconnects, throttling); errors are still printed.',
    env: 'shared',
    section: 'connection'
  }),
  flag({
    name: 'help',
    kind: 'boolean',
    default: '',
    description: 'Print this help and exit.',
    env: 'none',
    section: 'connection'
  })
]
