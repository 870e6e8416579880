import { DEFAULTS, LOG_GROUP_CLASSES, OVERFLOW_POLICIES, OVERSIZE_POLICIES, type Options } from '../options.js'

/** Where a flag's value goes: an option of the transport, a client setting, or the CLI itself. */
export type FlagTarget =
  | { option: Exclude<keyof Options, 'clientConfig' | 'stderr'> }
  | { client: 'region' | 'endpoint' | 'profile' }
  | { cli: 'tee' | 'quiet' | 'help' | 'version' }

export type FlagKind = 'string' | 'integer' | 'boolean' | 'choice' | 'tag' | 'url'

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

/** The CLI stops reading instead of dropping: a pipe can wait, and nothing is lost. */
export const CLI_OVERFLOW = 'block' satisfies typeof OVERFLOW_POLICIES[number]

const ms = (n: number): string => `${n} ms`
const bytes = (n: number): string => String(n)

/**
 * Every flag of pino-cloudwatch, in help order. The parser, the help text, the environment
 * variables and the README table all come from this one list.
 */
export const FLAGS: readonly Flag[] = [
  { name: 'log-group-name', kind: 'string', value: 'NAME', default: '(required)', target: { option: 'logGroupName' }, description: 'Log group to write to.' },
  { name: 'log-stream-name', kind: 'string', value: 'TEMPLATE', default: DEFAULTS.logStreamName, target: { option: 'logStreamName' }, description: 'Log stream, as a template: {hostname}, {pid}, {date}, {time}, {id} and {env.NAME} are replaced.' },
  { name: 'region', kind: 'string', value: 'REGION', default: '(AWS_REGION, then the profile)', target: { client: 'region' }, description: 'AWS region.' },
  { name: 'endpoint', kind: 'url', value: 'URL', default: '(AWS_ENDPOINT_URL, then the region\'s endpoint)', target: { client: 'endpoint' }, description: 'CloudWatch Logs endpoint (a local emulator, a VPC endpoint).' },
  { name: 'profile', kind: 'string', value: 'NAME', default: '(AWS_PROFILE, then default)', target: { client: 'profile' }, description: 'Profile of the shared AWS config and credentials files.' },
  { name: 'buffer-duration', kind: 'integer', value: 'MS', default: ms(DEFAULTS.bufferDuration), target: { option: 'bufferDuration' }, description: 'Longest time the oldest buffered line waits before its batch is sent.' },
  { name: 'batch-count', kind: 'integer', value: 'N', default: String(DEFAULTS.batchCount), target: { option: 'batchCount' }, description: 'Most events in one PutLogEvents call (1 to 10000).' },
  { name: 'batch-size', kind: 'integer', value: 'BYTES', default: bytes(DEFAULTS.batchSize), target: { option: 'batchSize' }, description: 'Most bytes in one PutLogEvents call, counted as the service does (UTF-8 bytes + 26 per event).' },
  { name: 'create-log-group', kind: 'boolean', negatable: true, default: String(DEFAULTS.createLogGroup), target: { option: 'createLogGroup' }, description: 'Create the log group if it does not exist (--no-create-log-group: do not).' },
  { name: 'create-log-stream', kind: 'boolean', negatable: true, default: String(DEFAULTS.createLogStream), target: { option: 'createLogStream' }, description: 'Create the log stream if it does not exist (--no-create-log-stream: do not).' },
  { name: 'retention-in-days', kind: 'integer', value: 'DAYS', default: '(never expire)', target: { option: 'retentionInDays' }, description: 'Retention of a log group this tool creates (1, 3, 5, 7, 14, 30, 60, 90, ... 3653).' },
  { name: 'log-group-class', kind: 'choice', value: 'CLASS', choices: LOG_GROUP_CLASSES, default: '(STANDARD, the service\'s default)', target: { option: 'logGroupClass' }, description: `Class of a log group this tool creates: ${LOG_GROUP_CLASSES.join(', ')}.` },
  { name: 'tag', kind: 'tag', value: 'KEY=VALUE', repeatable: true, default: '(none)', target: { option: 'tags' }, description: 'Tag of a log group this tool creates; repeat for more (in the environment: KEY=VALUE,KEY=VALUE).' },
  { name: 'max-puts-per-second', kind: 'integer', value: 'N', default: String(DEFAULTS.maxPutsPerSecond), target: { option: 'maxPutsPerSecond' }, description: 'PutLogEvents calls per second, retries included; 0: no limit.' },
  { name: 'max-concurrent-puts', kind: 'integer', value: 'N', default: String(DEFAULTS.maxConcurrentPuts), target: { option: 'maxConcurrentPuts' }, description: 'PutLogEvents calls in flight at once (only batches later than those in flight go in parallel, so the logged order is kept).' },
  { name: 'timestamp-key', kind: 'string', value: 'KEY', default: DEFAULTS.timestampKey, target: { option: 'timestampKey' }, description: 'JSON field holding the time a line was logged (epoch ms, epoch s or ISO 8601); lines without it get the time they were read.' },
  { name: 'oversize-events', kind: 'choice', value: 'POLICY', choices: OVERSIZE_POLICIES, default: DEFAULTS.oversizeEvents, target: { option: 'oversizeEvents' }, description: 'A line over the 1 MB event limit is split into ordered parts (split) or cut short with a marker (truncate).' },
  { name: 'request-timeout', kind: 'integer', value: 'MS', default: ms(DEFAULTS.requestTimeout), target: { option: 'requestTimeout' }, description: 'A call taking longer is abandoned and retried.' },
  { name: 'close-timeout', kind: 'integer', value: 'MS', default: ms(DEFAULTS.closeTimeout), target: { option: 'closeTimeout' }, description: 'At the end of the input (or on SIGINT/SIGTERM), how long the last uploads may take.' },
  { name: 'max-buffer-size', kind: 'integer', value: 'BYTES', default: bytes(DEFAULTS.maxBufferSize), target: { option: 'maxBufferSize' }, description: 'Memory held by lines awaiting delivery (their bytes plus about 80 bytes each); past it --overflow applies.' },
  { name: 'overflow', kind: 'choice', value: 'POLICY', choices: OVERFLOW_POLICIES, default: CLI_OVERFLOW, target: { option: 'overflow' }, description: 'When the buffer is full: block stops reading stdin until there is room (the producer slows down, nothing is lost); drop-oldest and drop-newest keep reading and drop lines, counted on stderr.' },
  { name: 'spool-dir', kind: 'string', value: 'DIR', default: '(none)', target: { option: 'spoolDir' }, description: 'Keep batches on disk until CloudWatch has them; what a run leaves there is sent first by the next.' },
  { name: 'max-spool-size', kind: 'integer', value: 'BYTES', default: bytes(DEFAULTS.maxSpoolSize), target: { option: 'maxSpoolSize' }, description: 'Bytes the spool directory may hold.' },
  { name: 'retry-base-delay', kind: 'integer', value: 'MS', default: ms(DEFAULTS.retryBaseDelay), target: { option: 'retryBaseDelay' }, description: 'First delay before retrying a failed call; later ones grow exponentially, with jitter.' },
  { name: 'retry-max-delay', kind: 'integer', value: 'MS', default: ms(DEFAULTS.retryMaxDelay), target: { option: 'retryMaxDelay' }, description: 'Longest delay between two retries.' },
  { name: 'tee', kind: 'boolean', default: 'false', target: { cli: 'tee' }, description: 'Copy stdin to stdout unchanged, byte for byte (for example into pino-pretty).' },
  { name: 'quiet', kind: 'boolean', default: 'false', target: { cli: 'quiet' }, description: 'No diagnostics on stderr, except the line explaining a non-zero exit status.' },
  { name: 'help', kind: 'boolean', default: '', target: { cli: 'help' }, env: false, description: 'Print this help and exit.' },
  { name: 'version', kind: 'boolean', default: '', target: { cli: 'version' }, env: false, description: 'Print the version and exit.' }
]

/** `LOGBEAM_<UPPER_SNAKE>` of a flag, or undefined for flags that have none. */
export function envName (flag: Flag): string | undefined {
  if (flag.env === false) return undefined
  return `LOGBEAM_${flag.name.toUpperCase().replaceAll('-', '_')}`
}

/** The flag that sets an option of the transport, for messages that name the option. */
export function flagForOption (option: string): Flag | undefined {
  return FLAGS.find(f => 'option' in f.target && f.target.option === option) ??
    (option === 'stderr' ? FLAGS.find(f => f.name === 'quiet') : undefined)
}
