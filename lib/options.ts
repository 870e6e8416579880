import type { CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs'
import { LIMITS } from './limits.js'
import { expandStreamName } from './stream-name.js'

/** Retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const

export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const
export const OVERSIZE_POLICIES = ['split', 'truncate'] as const
export const OVERFLOW_POLICIES = ['drop-oldest', 'drop-newest', 'block'] as const

/**
 * Client settings passed to `new CloudWatchLogsClient()`. They cross into the worker thread by
 * structured clone, so only plain data is allowed here (no credential providers or handlers).
 * Without any of them the SDK's standard environment (AWS_REGION, AWS_ENDPOINT_URL,
 * AWS_PROFILE, the default credentials chain) applies.
 */
export type ClientConfig = Pick<CloudWatchLogsClientConfig,
  'region' | 'endpoint' | 'profile' | 'maxAttempts' | 'useFipsEndpoint' | 'useDualstackEndpoint'> & {
  /** Static credentials; prefer the default chain (environment, profile, SSO, role) where you can. */
    credentials?: { accessKeyId: string, secretAccessKey: string, sessionToken?: string }
  }

/** Options of the logbeam transport, the same for the worker transport, in-process use and the CLI. */
export interface Options {
  /** The log group to write to. Required. */
  logGroupName: string
  /**
   * The log stream, as a template. `{hostname}`, `{pid}`, `{date}` (UTC YYYY-MM-DD), `{time}`
   * (UTC HH-mm-ss), `{id}` (8 random hex digits, new for each transport) and `{env.NAME}` are
   * replaced; `:` and `*`, which the service refuses, become `-`; the result is cut to 512 characters.
   * @default '{date}/{hostname}/{pid}/{id}'
   */
  logStreamName?: string
  /** Longest time (ms) the oldest buffered event waits before its batch is sent. @default 10000 */
  bufferDuration?: number
  /** Most events in one PutLogEvents call (1 to 10000). @default 10000 */
  batchCount?: number
  /** Most bytes in one PutLogEvents call, counted as the service does: UTF-8 bytes of each message + 26 (1024 to 1048576). @default 1048576 */
  batchSize?: number
  /** Plain settings for the CloudWatch Logs client (region, endpoint, profile, ...). @default {} */
  clientConfig?: ClientConfig
  /** Create the log group when the service says it does not exist. @default true */
  createLogGroup?: boolean
  /** Create the log stream when the service says it does not exist. @default true */
  createLogStream?: boolean
  /** Retention set on a log group that logbeam creates (one of the values the service accepts). @default undefined (never expire) */
  retentionInDays?: number
  /** Class of a log group that logbeam creates. @default undefined (the service's default, STANDARD) */
  logGroupClass?: typeof LOG_GROUP_CLASSES[number]
  /** Tags of a log group that logbeam creates. @default undefined */
  tags?: Record<string, string>
  /** PutLogEvents calls per second, retries included; 0 means no limit. @default 5 */
  maxPutsPerSecond?: number
  /** PutLogEvents calls in flight at once; a batch goes beside others only when all its events are later than theirs, so the stored order stays the logged one. @default 1 */
  maxConcurrentPuts?: number
  /** Field of the JSON line that holds the time it was logged: epoch milliseconds, epoch seconds or an ISO 8601 string. Lines without it are stamped with the time they were read. @default 'time' */
  timestampKey?: string
  /** What to do with an event larger than the per-event limit: `split` it into ordered parts that hold every byte, or `truncate` it with a visible marker. @default 'split' */
  oversizeEvents?: typeof OVERSIZE_POLICIES[number]
  /** Time (ms) after which a PutLogEvents call is abandoned and retried. @default 10000 */
  requestTimeout?: number
  /** Time (ms) the final upload may take when the stream closes (pino waits about 10 s at exit). @default 8000 */
  closeTimeout?: number
  /** Memory held by log events awaiting delivery (their bytes plus about 80 bytes each of bookkeeping); past it the `overflow` policy applies. @default 67108864 (64 MiB) */
  maxBufferSize?: number
  /** When the buffer is full: `drop-oldest`, `drop-newest`, or `block` (CLI only: stop reading the input). Dropped events are counted and reported. @default 'drop-oldest' */
  overflow?: typeof OVERFLOW_POLICIES[number]
  /** Directory where batches are kept on disk until CloudWatch has them; what is left there is sent first at the next start. @default undefined (no spool) */
  spoolDir?: string
  /** Bytes the spool directory may hold; past it the `overflow` policy applies. @default 268435456 (256 MiB) */
  maxSpoolSize?: number
  /** First delay (ms) before retrying a failed call; later delays grow exponentially, with full jitter. @default 200 */
  retryBaseDelay?: number
  /** Longest delay (ms) between two retries. @default 20000 */
  retryMaxDelay?: number
  /** Print logbeam's own warnings on stderr (rate-limited; they never go through pino). @default true */
  stderr?: boolean
}

/** Options with every default applied and every value checked. */
export interface ResolvedOptions extends Required<Omit<Options, 'retentionInDays' | 'logGroupClass' | 'tags' | 'spoolDir'>> {
  retentionInDays: number | undefined
  logGroupClass: Options['logGroupClass']
  tags: Record<string, string> | undefined
  spoolDir: string | undefined
  /** The expanded, valid stream name. */
  logStreamName: string
}

export const DEFAULTS = {
  logStreamName: '{date}/{hostname}/{pid}/{id}',
  bufferDuration: 10_000,
  batchCount: LIMITS.maxBatchCount,
  batchSize: LIMITS.maxBatchBytes,
  createLogGroup: true,
  createLogStream: true,
  maxPutsPerSecond: 5,
  maxConcurrentPuts: 1,
  timestampKey: 'time',
  oversizeEvents: 'split',
  requestTimeout: 10_000,
  closeTimeout: 8_000,
  maxBufferSize: 64 * 1024 * 1024,
  overflow: 'drop-oldest',
  maxSpoolSize: 256 * 1024 * 1024,
  retryBaseDelay: 200,
  retryMaxDelay: 20_000,
  stderr: true
} as const satisfies Partial<Options>

const KNOWN = new Set<string>([...Object.keys(DEFAULTS), 'logGroupName', 'clientConfig', 'retentionInDays', 'logGroupClass', 'tags', 'spoolDir'])
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/

class OptionError extends Error {
  constructor (option: string, message: string) {
    super(`logbeam: invalid option ${option}: ${message}`)
    this.name = 'LogbeamOptionError'
  }
}

function integer (o: Record<string, unknown>, name: string, min: number, max: number): number {
  const value = o[name] ?? DEFAULTS[name as keyof typeof DEFAULTS]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return value
}

function oneOf<T extends string> (o: Record<string, unknown>, name: string, allowed: readonly T[]): T {
  const value = o[name] ?? DEFAULTS[name as keyof typeof DEFAULTS]
  if (!allowed.includes(value as T)) {
    throw new OptionError(name, `expected one of ${allowed.map(a => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`)
  }
  return value as T
}

function bool (o: Record<string, unknown>, name: string): boolean {
  const value = o[name] ?? DEFAULTS[name as keyof typeof DEFAULTS]
  if (typeof value !== 'boolean') throw new OptionError(name, `expected true or false, got ${JSON.stringify(value)}`)
  return value
}

function optionalString (o: Record<string, unknown>, name: string): string | undefined {
  const value = o[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw new OptionError(name, `expected a non-empty string, got ${JSON.stringify(value)}`)
  return value
}

/**
 * Applies the defaults and checks every option, so that bad configuration fails at start with a
 * message naming the option, never later while logs are flowing.
 */
export function resolveOptions (input: Options | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (input === null || typeof input !== 'object') {
    throw new OptionError('options', 'expected an object with at least logGroupName')
  }
  const o = input as unknown as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new OptionError(key, `unknown option (known: ${[...KNOWN].sort().join(', ')})`)
  }
  const logGroupName = o.logGroupName
  if (typeof logGroupName !== 'string' || !GROUP_NAME.test(logGroupName) || logGroupName.startsWith('aws/')) {
    throw new OptionError('logGroupName', `expected 1 to 512 characters of letters, digits and . - _ / #, not starting with 'aws/', got ${JSON.stringify(logGroupName)}`)
  }
  const template = o.logStreamName ?? DEFAULTS.logStreamName
  if (typeof template !== 'string' || template.trim() === '') {
    throw new OptionError('logStreamName', `expected a non-empty string, got ${JSON.stringify(template)}`)
  }
  const retentionInDays = o.retentionInDays
  if (retentionInDays !== undefined && !(RETENTION_DAYS as readonly unknown[]).includes(retentionInDays)) {
    throw new OptionError('retentionInDays', `expected one of ${RETENTION_DAYS.join(', ')}, got ${JSON.stringify(retentionInDays)}`)
  }
  const logGroupClass = o.logGroupClass === undefined ? undefined : oneOf(o, 'logGroupClass', LOG_GROUP_CLASSES)
  const tags = o.tags
  if (tags !== undefined && (tags === null || typeof tags !== 'object' || Array.isArray(tags) ||
      !Object.values(tags).every(v => typeof v === 'string'))) {
    throw new OptionError('tags', 'expected an object of string values')
  }
  const clientConfig = o.clientConfig ?? {}
  if (clientConfig === null || typeof clientConfig !== 'object' || Array.isArray(clientConfig)) {
    throw new OptionError('clientConfig', 'expected an object of CloudWatchLogsClient settings')
  }
  const timestampKey = o.timestampKey ?? DEFAULTS.timestampKey
  if (typeof timestampKey !== 'string' || timestampKey === '' || /["\\]/.test(timestampKey)) {
    throw new OptionError('timestampKey', `expected a field name, got ${JSON.stringify(timestampKey)}`)
  }
  const day = 24 * 60 * 60 * 1000
  return {
    logGroupName,
    logStreamName: expandStreamName(template, env),
    bufferDuration: integer(o, 'bufferDuration', 0, day),
    batchCount: integer(o, 'batchCount', 1, LIMITS.maxBatchCount),
    batchSize: integer(o, 'batchSize', 1024, LIMITS.maxBatchBytes),
    clientConfig: clientConfig as ClientConfig,
    createLogGroup: bool(o, 'createLogGroup'),
    createLogStream: bool(o, 'createLogStream'),
    retentionInDays: retentionInDays as number | undefined,
    logGroupClass,
    tags: tags as Record<string, string> | undefined,
    maxPutsPerSecond: integer(o, 'maxPutsPerSecond', 0, 100_000),
    maxConcurrentPuts: integer(o, 'maxConcurrentPuts', 1, 64),
    timestampKey,
    oversizeEvents: oneOf(o, 'oversizeEvents', OVERSIZE_POLICIES),
    requestTimeout: integer(o, 'requestTimeout', 100, 10 * 60_000),
    closeTimeout: integer(o, 'closeTimeout', 0, 10 * 60_000),
    maxBufferSize: integer(o, 'maxBufferSize', LIMITS.maxBatchBytes, Number.MAX_SAFE_INTEGER),
    overflow: oneOf(o, 'overflow', OVERFLOW_POLICIES),
    spoolDir: optionalString(o, 'spoolDir'),
    maxSpoolSize: integer(o, 'maxSpoolSize', LIMITS.maxBatchBytes, Number.MAX_SAFE_INTEGER),
    retryBaseDelay: integer(o, 'retryBaseDelay', 1, 60_000),
    retryMaxDelay: integer(o, 'retryMaxDelay', 1, 10 * 60_000),
    stderr: bool(o, 'stderr')
  }
}
