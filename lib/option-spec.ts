// The one description of every option: its type, range or allowed values, default, unit, one-line doc and how
// the CLI spells it. resolveOptions checks values against it; the CLI builds its flags, environment variables
// and help from it; the README's options and flags tables are generated from it (scripts/docs.js), and a test
// holds the TSDoc of `Options` to it. Adding an option is an entry here plus its field, with TSDoc, in `Options`.
import { LIMITS } from './cloudwatch/limits.js'
import {
  ENTITY, KMS_KEY_ARN, KMS_KEY_ID_MAX_LENGTH, LOG_GROUP_CLASSES, LOG_GROUP_NAME, RETENTION_DAYS, TAGS, TAG_TEXT,
  entityProblem, tagsProblem
} from './cloudwatch/rules.js'
import { metricsProblem } from './metrics/metrics-options.js'
import type { Options } from './options.js'

export const OVERSIZE_POLICIES = ['split', 'truncate'] as const
export const OVERFLOW_POLICIES = ['drop-oldest', 'drop-newest', 'block'] as const

/** The smallest memory bound: two full batches (one in flight, one waiting) and the one being filled. */
export const MIN_BUFFER_SIZE = 3 * LIMITS.maxBatchBytes

const DAY_MS = 24 * 60 * 60 * 1000
const TEN_MINUTES_MS = 10 * 60_000

/** How a value is checked before `check` (if any) looks closer. */
export type OptionKind = 'integer' | 'boolean' | 'choice' | 'string' | 'object'

export type Unit = 'ms' | 'bytes' | 'events' | 'calls' | 'calls/s' | 'days' | 'destinations'

/** How the CLI spells an option. Flag and environment variable names follow from the option's name. */
export interface CliSpelling {
  /** Kebab-case flag name without `--`. @default the option's name in kebab-case */
  flag?: string
  /** Placeholder for the value in the help text (none for booleans). */
  value?: string
  /** The CLI's wording, where it differs from `doc`. */
  doc?: string
  /** The value the CLI applies when neither flag nor variable is given, where it differs from `default`. */
  default?: string | number | boolean
  /** Accepts `--no-<flag>` to turn it off. */
  negatable?: true
  /** Can be given more than once (in the environment: comma-separated). */
  repeatable?: true
  /** Takes an object-valued option as JSON text, or `@FILE` naming a file that holds it. */
  json?: true
}

export interface OptionSpec {
  kind: OptionKind
  /** Applied when the option is absent (or null). Options without one are left undefined, or are `required`. */
  default?: string | number | boolean | Readonly<Record<string, never>>
  required?: true
  /** What leaving the option out means, for options without a default. */
  absent?: string
  /** Bounds of an integer, both included. */
  min?: number
  max?: number
  /** The values a `choice` accepts. */
  choices?: readonly (string | number)[]
  unit?: Unit
  /** What it accepts, in words, where the kind, bounds and choices do not say it all. */
  accepts?: string
  /** The expected shape, for the error message of a value of the wrong kind. */
  expected?: string
  /**
   * A closer look at a value of the right kind: the reason it is refused, or undefined. An object-valued option may
   * name the setting at fault (`at: 'fields.latencyMs'`): the error then names `metrics.fields.latencyMs`.
   */
  check?: (value: never) => string | { at: string, reason: string } | undefined
  /** One line for people: the README table, the CLI help. */
  doc: string
  /** How the CLI spells it; false: library only. */
  cli: CliSpelling | false
}

const got = (value: unknown): string => `got ${JSON.stringify(value)}`

const GROUP_NAME_TEXT = `1 to ${LOG_GROUP_NAME.maxLength} characters of letters, digits and . - _ / #, ` +
  `not starting with '${LOG_GROUP_NAME.reservedPrefix}'`
/**
 * Every option of `Options`, in the order of the README table and the CLI help; an option missing here, or one
 * that `Options` lacks, fails to compile. (The CLI's flags that set no option are in CLI_FLAGS.)
 */
export const OPTION_SPEC = {
  logGroupName: {
    kind: 'string',
    required: true,
    accepts: `a template making ${GROUP_NAME_TEXT}`,
    expected: GROUP_NAME_TEXT,
    doc: 'Log group to write to, as a template: the process placeholders of logStreamName, and `{level}` and ' +
      '`{field.NAME}` to route each line by its own fields (see "Routing by record").',
    cli: { value: 'TEMPLATE' }
  },
  logStreamName: {
    kind: 'string',
    default: '{date}/{hostname}/{pid}/{id}',
    accepts: 'a template; `:` and `*` become `-`, cut to 512 characters',
    check: (template: string) => template.trim() === '' ? `expected a non-empty string, ${got(template)}` : undefined,
    doc: 'Log stream, as a template: `{hostname}`, `{pid}`, `{date}` (UTC YYYY-MM-DD), `{time}` (UTC HH-mm-ss), ' +
      '`{id}` (8 random hex digits, new for each transport) and `{env.NAME}` are replaced; `{level}` and ' +
      '`{field.NAME}` route each line by its own fields. The default never lets two processes share a stream.',
    cli: { value: 'TEMPLATE' }
  },
  maxDestinations: {
    kind: 'integer',
    default: 100,
    min: 1,
    max: 10_000,
    unit: 'destinations',
    doc: 'With `{level}` or `{field.NAME}` in a name: most group/stream pairs live at once; lines for one more go ' +
      'to the fallback destination (reported once per name). Destinations idle for a minute stop counting.',
    cli: { value: 'N' }
  },
  customLevels: {
    kind: 'object',
    absent: "pino's levels; in a worker, also those pino hands over",
    accepts: 'label -> level number, e.g. `{ "audit": 35 }`',
    expected: 'an object of level numbers',
    check: (levels: Record<string, unknown>) => {
      for (const [label, n] of Object.entries(levels)) {
        const value = typeof n === 'string' && /^[0-9]+$/.test(n) ? Number(n) : n
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
          return { at: label, reason: `expected a whole number, ${got(n)}` }
        }
      }
      return undefined
    },
    doc: 'Labels `{level}` uses for levels beyond pino\'s defaults. A worker transport learns pino\'s ' +
      '`customLevels` by itself; this is for the CLI and in-process use.',
    cli: {
      flag: 'custom-level',
      value: 'LABEL=N',
      repeatable: true,
      doc: 'A level label for {level} beyond pino\'s defaults; repeat for more (in the environment: ' +
        'LABEL=N,LABEL=N).'
    }
  },
  clientConfig: {
    kind: 'object',
    default: {},
    accepts: 'plain data: `region`, `endpoint`, `profile`, `maxAttempts`, `useFipsEndpoint`, ' +
      '`useDualstackEndpoint`, static `credentials`, `proxy`, `assumeRole`',
    expected: 'an object of CloudWatchLogsClient settings',
    doc: 'Settings of the CloudWatch Logs client; without them the standard AWS environment applies.',
    // Its flags (--region, --endpoint, --profile) are in CLI_FLAGS.
    cli: false
  },
  bufferDuration: {
    kind: 'integer',
    default: 10_000,
    min: 0,
    max: DAY_MS,
    unit: 'ms',
    doc: 'Longest time the oldest buffered event waits before its batch is sent.',
    cli: { value: 'MS' }
  },
  idleFlush: {
    kind: 'integer',
    default: 1000,
    min: 0,
    max: DAY_MS,
    unit: 'ms',
    doc: 'Time without new input after which the open batch is sent, so lines never wait while the app is ' +
      'quiet (bufferDuration stays the longest wait under steady input); 0 turns it off.',
    cli: { value: 'MS' }
  },
  batchCount: {
    kind: 'integer',
    default: LIMITS.maxBatchCount,
    min: 1,
    max: LIMITS.maxBatchCount,
    unit: 'events',
    doc: 'Most events in one PutLogEvents call.',
    cli: { value: 'N' }
  },
  batchSize: {
    kind: 'integer',
    default: LIMITS.maxBatchBytes,
    min: 1024,
    max: LIMITS.maxBatchBytes,
    unit: 'bytes',
    doc: `Most bytes in one PutLogEvents call, counted as the service does: UTF-8 bytes of each message + ${
      LIMITS.eventOverhead}.`,
    cli: { value: 'BYTES' }
  },
  createLogGroup: {
    kind: 'boolean',
    default: true,
    doc: 'Create the log group when the service says it does not exist.',
    cli: { negatable: true }
  },
  createLogStream: {
    kind: 'boolean',
    default: true,
    doc: 'Create the log stream when the service says it does not exist (also after the group was deleted).',
    cli: { negatable: true }
  },
  retentionInDays: {
    kind: 'choice',
    choices: RETENTION_DAYS,
    absent: 'never expire',
    unit: 'days',
    doc: 'Retention of a log group logbeam creates.',
    cli: { value: 'DAYS' }
  },
  logGroupClass: {
    kind: 'choice',
    choices: LOG_GROUP_CLASSES,
    absent: `the service's default, ${LOG_GROUP_CLASSES[0]}`,
    doc: 'Class of a log group logbeam creates.',
    cli: { value: 'CLASS' }
  },
  kmsKeyId: {
    kind: 'string',
    absent: 'encrypted with a key CloudWatch manages',
    accepts: `a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), at most ${KMS_KEY_ID_MAX_LENGTH} characters`,
    expected: 'a KMS key ARN',
    check: (arn: string) => arn.length <= KMS_KEY_ID_MAX_LENGTH && KMS_KEY_ARN.test(arn)
      ? undefined
      : `expected a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), ${got(arn)}`,
    doc: 'KMS key of a log group logbeam creates, set in the creating call, so its first events are already ' +
      'encrypted with it.',
    cli: { value: 'ARN' }
  },
  deletionProtection: {
    kind: 'boolean',
    default: false,
    doc: 'Create log groups with deletion protection on: the service refuses to delete them until it is turned off.',
    cli: { negatable: true }
  },
  tags: {
    kind: 'object',
    absent: 'none',
    accepts: `at most ${TAGS.maxCount}; keys of 1 to ${TAGS.maxKeyLength} and values of at most ${
      TAGS.maxValueLength} ${TAG_TEXT}; no key under \`${TAGS.reservedKeyPrefix}\``,
    expected: 'an object of string values',
    check: tagsProblem,
    doc: 'Tags of a log group logbeam creates.',
    cli: {
      flag: 'tag',
      value: 'KEY=VALUE',
      repeatable: true,
      doc: 'Tag of a log group logbeam creates; repeat for more (in the environment: KEY=VALUE,KEY=VALUE).'
    }
  },
  entity: {
    kind: 'object',
    absent: 'none',
    accepts: `\`keyAttributes\` (${ENTITY.keyAttributes.minEntries} to ${ENTITY.keyAttributes.maxEntries} of ${
      ENTITY.keyAttributeNames.join(', ')}) and optional \`attributes\` (at most ${ENTITY.attributes.maxEntries}); ` +
      `values of 1 to ${ENTITY.keyAttributes.valueMaxLength} characters`,
    expected: 'an object with keyAttributes',
    check: entityProblem,
    doc: 'The entity sent with every PutLogEvents call, for CloudWatch\'s "Explore related"; one the service does ' +
      'not take is reported (`entityRejected`) and the events are stored anyway.',
    cli: {
      value: 'JSON',
      json: true,
      doc: 'The entity sent with every PutLogEvents call, as JSON or @FILE: ' +
        '{"keyAttributes":{"Type":"Service","Name":"checkout","Environment":"prod"}}.'
    }
  },
  maxPutsPerSecond: {
    kind: 'integer',
    default: 0,
    min: 0,
    max: 100_000,
    unit: 'calls/s',
    doc: 'An optional cap on PutLogEvents calls per second, retries included; 0 means none. CloudWatch ' +
      'throttles per account and region, not per stream: the adaptive concurrency already backs off when it does.',
    cli: { value: 'N' }
  },
  maxConcurrentPuts: {
    kind: 'integer',
    default: 16,
    min: 1,
    max: 64,
    unit: 'calls',
    doc: 'Most PutLogEvents calls in flight at once. The number in flight adapts below it: it grows while calls ' +
      'succeed and halves on throttling, 5xx and timeouts. The stored order stays the logged one.',
    cli: { value: 'N' }
  },
  timestampKey: {
    kind: 'string',
    default: 'time',
    accepts: 'a field name without `"` or `\\`',
    expected: 'a field name',
    check: (key: string) => /["\\]/.test(key) ? `expected a field name, ${got(key)}` : undefined,
    doc: 'JSON field holding the time a line was logged: epoch ms, epoch seconds (values below 1e11) or an ' +
      'ISO 8601 string. Lines without it (or not JSON) get the time they were read.',
    cli: { value: 'KEY' }
  },
  metrics: {
    kind: 'object',
    absent: 'no metrics',
    accepts: '`namespace`, `fields` (field name -> CloudWatch unit), optional `dimensions` (sets of field names), ' +
      '`storageResolution` (field name -> 1 or 60), `defaultDimensions` (name -> fixed value)',
    expected: 'an object with namespace and fields',
    check: metricsProblem,
    doc: 'Fields that become CloudWatch metrics through the embedded metric format: a line holding one of `fields` ' +
      'as a number gets an `_aws` block, every other byte unchanged; lines without them are not parsed. See ' +
      '"Metrics from logs (EMF)".',
    cli: {
      value: 'JSON',
      json: true,
      doc: 'Fields that become CloudWatch metrics (embedded metric format), as JSON or @FILE naming a file that ' +
        'holds it: {"namespace":"MyApp","fields":{"latencyMs":"Milliseconds"},"dimensions":[["service"]]}.'
    }
  },
  oversizeEvents: {
    kind: 'choice',
    default: 'split',
    choices: OVERSIZE_POLICIES,
    doc: 'An event over the per-event limit is `split` into ordered parts that hold every byte (cut on UTF-8 ' +
      'character boundaries), or `truncate`d with a `…[logbeam: truncated N of M bytes]` marker.',
    cli: { value: 'POLICY' }
  },
  requestTimeout: {
    kind: 'integer',
    default: 5000,
    min: 100,
    max: TEN_MINUTES_MS,
    unit: 'ms',
    doc: 'A PutLogEvents call not answered in this time is abandoned (its connection destroyed) and retried.',
    cli: { value: 'MS' }
  },
  closeTimeout: {
    kind: 'integer',
    default: 8000,
    min: 0,
    max: TEN_MINUTES_MS,
    unit: 'ms',
    doc: 'Time the final upload may take when the stream closes. pino waits about 10 s at exit, so a worker ' +
      'transport allows at most 9000; the CLI and in-process use allow up to 10 minutes.',
    cli: { value: 'MS', doc: 'At the end of the input (or on SIGINT/SIGTERM), how long the last uploads may take.' }
  },
  maxBufferSize: {
    kind: 'integer',
    default: 64 * 1024 * 1024,
    min: MIN_BUFFER_SIZE,
    max: Number.MAX_SAFE_INTEGER,
    unit: 'bytes',
    doc: 'Memory held by events awaiting delivery: sealed batches count the bytes of their request body (encoded ' +
      'once, when sealed), the batches still filling their bytes plus about 80 each; past it the `overflow` policy ' +
      'applies. The least is three full batches.',
    cli: { value: 'BYTES' }
  },
  overflow: {
    kind: 'choice',
    default: 'drop-oldest',
    choices: OVERFLOW_POLICIES,
    doc: 'When the buffer is full while calls fail: `drop-oldest` or `drop-newest`, or `block` (CLI only) to stop ' +
      'reading stdin. While calls succeed the input waits for room instead. Drops are counted and reported.',
    cli: {
      value: 'POLICY',
      // A pipe can wait, and then nothing is lost.
      default: 'block',
      doc: 'When the buffer is full: block stops reading stdin until there is room (the producer slows down, ' +
        'nothing is lost); drop-oldest and drop-newest keep reading and drop lines, counted on stderr.'
    }
  },
  spoolDir: {
    kind: 'string',
    absent: 'no spool',
    accepts: 'a directory',
    doc: 'Directory where batches are kept on disk until CloudWatch has them; what is left there is sent first ' +
      'at the next start.',
    cli: { value: 'DIR' }
  },
  maxSpoolSize: {
    kind: 'integer',
    default: 256 * 1024 * 1024,
    min: LIMITS.maxBatchBytes,
    max: Number.MAX_SAFE_INTEGER,
    unit: 'bytes',
    doc: 'Bytes the spool directory may hold; past it batches stay in memory only and `overflow` applies.',
    cli: { value: 'BYTES' }
  },
  retryBaseDelay: {
    kind: 'integer',
    default: 200,
    min: 1,
    max: 60_000,
    unit: 'ms',
    doc: 'First delay before retrying a failed call; later ones grow exponentially, with full jitter.',
    cli: { value: 'MS' }
  },
  retryMaxDelay: {
    kind: 'integer',
    default: 20_000,
    min: 1,
    max: TEN_MINUTES_MS,
    unit: 'ms',
    doc: 'Longest delay between two retries.',
    cli: { value: 'MS' }
  },
  workerNice: {
    kind: 'integer',
    default: 0,
    min: 0,
    max: 19,
    doc: 'Linux only: the niceness of the worker thread (0 to 19, lowest priority at 19), so that on a busy core ' +
      'the app\'s main thread is served first. Off by default: a lowered worker falls behind under sustained load ' +
      '(see "Performance").',
    cli: false
  },
  stderr: {
    kind: 'boolean',
    default: true,
    doc: 'Print logbeam\'s own warnings on stderr (rate-limited, never through pino, never with credentials).',
    // The CLI's --quiet turns it off.
    cli: false
  }
} as const satisfies Record<keyof Options, OptionSpec>

export type OptionName = keyof typeof OPTION_SPEC

/** Where a CLI-only flag's value goes: a setting of the client, or the CLI itself. */
export type CliTarget = { client: 'region' | 'endpoint' | 'profile' } | { cli: 'tee' | 'quiet' | 'help' | 'version' }

export interface CliOnlySpec {
  flag: string
  kind: 'string' | 'url' | 'boolean'
  value?: string
  /** The default, as shown to people. */
  default: string
  doc: string
  target: CliTarget
  /** Flags that make no sense in the environment (--help, --version) have no variable. */
  env?: false
  /** Shown after this option's flag (at the end when absent). */
  after?: OptionName
}

/** The CLI's flags that set no option: clientConfig's settings, and the CLI's own switches. */
export const CLI_FLAGS: readonly CliOnlySpec[] = [
  {
    flag: 'region',
    kind: 'string',
    value: 'REGION',
    default: '(AWS_REGION, then the profile)',
    doc: 'AWS region.',
    target: { client: 'region' },
    after: 'logStreamName'
  },
  {
    flag: 'endpoint',
    kind: 'url',
    value: 'URL',
    default: '(AWS_ENDPOINT_URL, then the region\'s endpoint)',
    doc: 'CloudWatch Logs endpoint (a local emulator, a VPC endpoint).',
    target: { client: 'endpoint' },
    after: 'logStreamName'
  },
  {
    flag: 'profile',
    kind: 'string',
    value: 'NAME',
    default: '(AWS_PROFILE, then default)',
    doc: 'Profile of the shared AWS config and credentials files.',
    target: { client: 'profile' },
    after: 'logStreamName'
  },
  {
    flag: 'tee',
    kind: 'boolean',
    default: 'false',
    doc: 'Copy stdin to stdout unchanged, byte for byte (for example into pino-pretty).',
    target: { cli: 'tee' }
  },
  {
    flag: 'quiet',
    kind: 'boolean',
    default: 'false',
    doc: 'No diagnostics on stderr, except the line explaining a non-zero exit status (the option `stderr: false`).',
    target: { cli: 'quiet' }
  },
  { flag: 'help', kind: 'boolean', default: '', doc: 'Print this help and exit.', target: { cli: 'help' }, env: false },
  {
    flag: 'version',
    kind: 'boolean',
    default: '',
    doc: 'Print the version and exit.',
    target: { cli: 'version' },
    env: false
  }
]
