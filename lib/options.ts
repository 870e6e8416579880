import { compileName, type NameTemplate } from './cloudwatch/name-template.js'
import { levelLabels, type LevelLabels } from './pipeline/level-labels.js'
import { LOG_GROUP_CLASSES, type RETENTION_DAYS } from './cloudwatch/rules.js'
import { checkClientConfig, type ClientConfig } from './cloudwatch/client-config.js'
import type { MetricsOptions } from './metrics/metrics-options.js'
import { LogbeamOptionError } from './option-error.js'
import { OPTION_SPEC, OVERFLOW_POLICIES, OVERSIZE_POLICIES, type OptionName, type OptionSpec } from './option-spec.js'

export { RETENTION_DAYS, LOG_GROUP_CLASSES } from './cloudwatch/rules.js'
export type { ClientConfig } from './cloudwatch/client-config.js'
export { MIN_BUFFER_SIZE, OVERFLOW_POLICIES, OVERSIZE_POLICIES } from './option-spec.js'

/**
 * Options of the logbeam transport, the same for the worker transport, in-process use and the CLI. Their ranges,
 * defaults and docs are in option-spec.ts; a test holds these comments to it.
 */
export interface Options {
  /**
   * The log group to write to, as a template making 1 to 512 of letters, digits and `. - _ / #`, not starting with
   * `aws/`. The process placeholders of logStreamName apply, and `{level}` / `{field.NAME}` route each line by its
   * own fields (see logStreamName). Required.
   */
  logGroupName: string
  /**
   * The log stream, as a template. `{hostname}`, `{pid}`, `{date}` (UTC YYYY-MM-DD), `{time}`
   * (UTC HH-mm-ss), `{id}` (8 random hex digits, new for each transport) and `{env.NAME}` are
   * replaced at start; `:` and `*`, which the service refuses, become `-`; the result is cut to 512 characters.
   * `{level}` (the level's label) and `{field.NAME}` (a dotted path for nested fields) are filled from each line,
   * `{field.tenant|shared}` naming the text used when the field is missing or does not fit a name (else `unknown`).
   * @default '{date}/{hostname}/{pid}/{id}'
   */
  logStreamName?: string
  /**
   * With `{level}` or `{field.NAME}` in a name: most destinations (group/stream pairs) live at once (1 to 10000);
   * lines for one more go to the fallback destination. Destinations idle for a minute stop counting. @default 100
   */
  maxDestinations?: number
  /**
   * Labels `{level}` uses for levels beyond pino's defaults (label -> number). A worker transport learns pino's
   * `customLevels` by itself. @default undefined (pino's levels)
   */
  customLevels?: Record<string, number>
  /** Plain settings for the CloudWatch Logs client (region, endpoint, profile, ...). @default {} */
  clientConfig?: ClientConfig
  /** Longest time (ms, 0 to 86400000) the oldest buffered event waits before its batch is sent. @default 10000 */
  bufferDuration?: number
  /**
   * Time (ms, 0 to 86400000) without new input after which the open batch is sent, so lines never sit in the
   * worker while the app is quiet (bufferDuration stays the longest wait under steady input); 0 turns it off.
   * @default 1000
   */
  idleFlush?: number
  /** Most events in one PutLogEvents call (1 to 10000). @default 10000 */
  batchCount?: number
  /**
   * Most bytes in one PutLogEvents call (1024 to 1048576), counted as the service does: UTF-8 bytes of each
   * message + 26. @default 1048576
   */
  batchSize?: number
  /** Create the log group when the service says it does not exist. @default true */
  createLogGroup?: boolean
  /** Create the log stream when the service says it does not exist. @default true */
  createLogStream?: boolean
  /**
   * Retention in days of a log group that logbeam creates: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
   * 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 (the values the service accepts). @default undefined (never expire)
   */
  retentionInDays?: typeof RETENTION_DAYS[number]
  /** Class of a log group that logbeam creates. @default undefined (the service's default, STANDARD) */
  logGroupClass?: typeof LOG_GROUP_CLASSES[number]
  /**
   * KMS key ARN of a log group that logbeam creates, set in the creating call so that its first events are already
   * encrypted with it (needs kms permissions for CloudWatch Logs on the key). @default undefined (a key AWS manages)
   */
  kmsKeyId?: string
  /** Create log groups with deletion protection on. @default false */
  deletionProtection?: boolean
  /**
   * Tags of a log group that logbeam creates: at most 50; keys of 1 to 128 and values of at most 256 letters,
   * digits, spaces, at signs or `_ . : / = + -`; no key under `aws:`. @default undefined
   */
  tags?: Record<string, string>
  /**
   * The entity sent with every PutLogEvents call (CloudWatch's "Explore related"): `keyAttributes` (2 to 4 of Type,
   * ResourceType, Identifier, Name, Environment, AwsAccountId) and optional `attributes` (at most 10). One the
   * service does not take is reported as `entityRejected`; the events are stored anyway. @default undefined (none)
   */
  entity?: { keyAttributes: Record<string, string>, attributes?: Record<string, string> }
  /**
   * An optional cap on PutLogEvents calls per second (0 to 100000), retries included; 0 means none. CloudWatch
   * throttles per account and region, not per stream: the adaptive concurrency already backs off when it does.
   * @default 0
   */
  maxPutsPerSecond?: number
  /**
   * Most PutLogEvents calls in flight at once (1 to 64). The number in flight adapts below it: it grows while calls
   * succeed and halves on throttling, 5xx and timeouts. Calls in flight never overlap in time, so the stored order
   * stays the logged one. @default 16
   */
  maxConcurrentPuts?: number
  /**
   * Field of the JSON line that holds the time it was logged: epoch milliseconds, epoch seconds or an ISO 8601
   * string. Lines without it are stamped with the time they were read. @default 'time'
   */
  timestampKey?: string
  /**
   * Fields that become CloudWatch metrics through the embedded metric format (EMF): `namespace`, `fields` (field name
   * -> CloudWatch unit), and optionally `dimensions` (sets of fields holding strings), `storageResolution` (field name
   * -> 1 or 60) and `defaultDimensions` (name -> fixed value). A line holding one of `fields` as a number gets an
   * `_aws` block after its opening `{`, every other byte unchanged; a line without them is not parsed; one with its
   * own `_aws` is shipped unchanged and checked (`metricsInvalid`). @default undefined (no metrics)
   */
  metrics?: MetricsOptions
  /**
   * What to do with an event larger than the per-event limit: `split` it into ordered parts that hold every byte,
   * or `truncate` it with a visible marker. @default 'split'
   */
  oversizeEvents?: typeof OVERSIZE_POLICIES[number]
  /**
   * Time (ms, 100 to 600000) after which a PutLogEvents call is abandoned (its connection destroyed) and retried.
   * @default 5000
   */
  requestTimeout?: number
  /**
   * Time (ms, 0 to 600000) the final upload may take when the stream closes. pino waits about 10 s at exit, so in
   * a worker transport it is at most 9000; the CLI and in-process use allow up to 10 minutes. @default 8000
   */
  closeTimeout?: number
  /**
   * Memory held by log events awaiting delivery (sealed batches as their request body, encoded once; batches still
   * filling as their bytes plus about 80 each); past it the `overflow` policy applies. At least 3145728 (three full
   * batches). @default 67108864 (64 MiB)
   */
  maxBufferSize?: number
  /**
   * When the buffer is full while calls fail: `drop-oldest`, `drop-newest`, or `block` (CLI only: stop reading the
   * input). While calls succeed the input waits for room instead. Dropped events are counted and reported.
   * @default 'drop-oldest'
   */
  overflow?: typeof OVERFLOW_POLICIES[number]
  /**
   * Directory where batches are kept on disk until CloudWatch has them; what is left there is sent first at the
   * next start. @default undefined (no spool)
   */
  spoolDir?: string
  /**
   * Bytes the spool directory may hold (at least 1048576); past it the `overflow` policy applies.
   * @default 268435456 (256 MiB)
   */
  maxSpoolSize?: number
  /**
   * First delay (ms, 1 to 60000) before retrying a failed call; later delays grow exponentially, with full jitter.
   * @default 200
   */
  retryBaseDelay?: number
  /** Longest delay (ms, 1 to 600000) between two retries. @default 20000 */
  retryMaxDelay?: number
  /**
   * Linux only: the niceness (0 to 19) of the worker thread, so that on a busy core the app's main thread is served
   * first; in-process and in the CLI it does nothing. Lowered, the worker falls behind under sustained load.
   * @default 0
   */
  workerNice?: number
  /** Print logbeam's own warnings on stderr (rate-limited; they never go through pino). @default true */
  stderr?: boolean
}

/** Options with every default applied and every value checked. */
export interface ResolvedOptions extends Required<Omit<Options, 'retentionInDays' | 'logGroupClass' | 'tags' |
'spoolDir' | 'metrics' | 'customLevels' | 'kmsKeyId' | 'entity'>> {
  retentionInDays: number | undefined
  /** Level labels for `{level}`: pino's, with customLevels added. */
  levelLabels: LevelLabels
  kmsKeyId: string | undefined
  entity: Options['entity']
  logGroupClass: Options['logGroupClass']
  tags: Record<string, string> | undefined
  spoolDir: string | undefined
  metrics: MetricsOptions | undefined
  /** The group's name, or its template with the process placeholders expanded when it routes by record. */
  logGroupName: string
  /** The stream's name, or its template likewise. */
  logStreamName: string
  /** The name templates, ready for the router. */
  names: { group: NameTemplate, stream: NameTemplate }
}

type SpecWithDefault = { [N in OptionName]: typeof OPTION_SPEC[N] extends { default: unknown } ? N : never }[OptionName]

/** The defaults, from the option spec. */
export const DEFAULTS = Object.fromEntries(Object.entries(OPTION_SPEC)
  .filter(([, spec]) => 'default' in spec)
  .map(([name, spec]) => [name, (spec as OptionSpec).default])
) as { readonly [N in SpecWithDefault]: typeof OPTION_SPEC[N]['default'] }

/**
 * Keys pino adds to a target's options (`levels` with customLevels, `dedupe` with targets, `pinoWillSendConfig`,
 * and `$`-prefixed ones such as `$context`): not ours to check, and never refused.
 */
const PINO_KEYS = new Set(['levels', 'dedupe', 'pinoWillSendConfig'])

const isPinoKey = (key: string): boolean => PINO_KEYS.has(key) || key.startsWith('$')

/** A name for messages: the name itself, or the template with its record placeholders as written. */
function displayName (template: NameTemplate): string {
  return template.fixed ?? template.parts.map(part => typeof part === 'string' ? part : part.token).join('')
}

/** The value after checking it against its spec; a bad one throws LogbeamOptionError naming the option. */
function checked (name: string, spec: OptionSpec, value: unknown): unknown {
  if (value === undefined) {
    if (spec.required) throw new LogbeamOptionError(name, `expected ${spec.expected ?? 'a value'}, got undefined`)
    return undefined
  }
  const got = `got ${JSON.stringify(value)}`
  let reason: string | undefined
  switch (spec.kind) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min! || value > spec.max!) {
        reason = `expected a whole number from ${spec.min} to ${spec.max}, ${got}`
      }
      break
    case 'boolean':
      if (typeof value !== 'boolean') reason = `expected true or false, ${got}`
      break
    case 'choice':
      if (!spec.choices!.includes(value as string | number)) {
        const choices = spec.choices!.map(c => typeof c === 'string' ? `'${c}'` : String(c)).join(', ')
        reason = `expected one of ${choices}, ${got}`
      }
      break
    case 'string':
      if (typeof value !== 'string' || value === '') {
        reason = `expected ${spec.expected ?? 'a non-empty string'}, ${got}`
      }
      break
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        reason = `expected ${spec.expected}, ${got}`
      }
      break
  }
  if (reason === undefined) {
    const found = spec.check?.(value as never)
    if (typeof found === 'object') throw new LogbeamOptionError(`${name}.${found.at}`, found.reason)
    reason = found
  }
  if (reason !== undefined) throw new LogbeamOptionError(name, reason)
  return value
}

/**
 * Applies the defaults and checks every option against the option spec, so that bad configuration fails at start
 * with a LogbeamOptionError naming the option, never later while logs are flowing.
 */
export function resolveOptions (input: Options | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (input === null || typeof input !== 'object') {
    throw new LogbeamOptionError('options', 'expected an object with at least logGroupName')
  }
  const given = input as unknown as Record<string, unknown>
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(OPTION_SPEC, key) && !isPinoKey(key)) {
      throw new LogbeamOptionError(key, `unknown option (known: ${Object.keys(OPTION_SPEC).sort().join(', ')})`)
    }
  }
  const resolved: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(OPTION_SPEC) as Array<[string, OptionSpec]>) {
    // null counts as absent where there is a default to apply; elsewhere it is a value, and refused.
    const value = 'default' in spec ? given[name] ?? spec.default : given[name]
    resolved[name] = checked(name, spec, value)
  }
  const names = {
    group: compileName(resolved.logGroupName as string, 'group', env),
    stream: compileName(resolved.logStreamName as string, 'stream', env)
  }
  resolved.names = names
  resolved.logGroupName = displayName(names.group)
  resolved.logStreamName = displayName(names.stream)
  // pino's own `levels` key (its customLevels, in a single-target worker) and ours both name levels.
  resolved.levelLabels = levelLabels(given.customLevels, levelLabels(given.levels))
  // Each client setting is checked too (unknown keys, URLs, region names, credentials' shape), naming it.
  resolved.clientConfig = checkClientConfig(resolved.clientConfig)
  return resolved as unknown as ResolvedOptions
}
