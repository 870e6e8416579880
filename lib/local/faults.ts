// Fault injection: which call fails how. Pure decisions; the server carries them out.
import { ENTITY_REJECTIONS, type EntityRejection } from './entity-rules.js'

export const FAULT_KINDS = [
  'throttle', 'server-error', 'drop', 'hang', 'invalid-parameter',
  'not-found-group', 'not-found-stream', 'unrecognized-client', 'access-denied',
  'stall-body', 'hang-after-processing', 'reset-after-processing', 'too-large-413'
] as const

export type FaultKind = typeof FAULT_KINDS[number]

/** Faults played out on the connection rather than answered as a service error. */
export const CONNECTION_FAULTS = [
  'drop', 'hang', 'stall-body', 'hang-after-processing', 'reset-after-processing', 'too-large-413'
] as const satisfies readonly FaultKind[]

export type ConnectionFaultKind = typeof CONNECTION_FAULTS[number]
export type ServiceFaultKind = Exclude<FaultKind, ConnectionFaultKind>

export type CredentialsRejection = 'UnrecognizedClientException' | 'AccessDeniedException'

export interface FaultOptions {
  /**
   * Share (0..1) of faultable calls answered 400 ThrottlingException "Rate exceeded".
   * @default 0
   */
  throttleRate?: number
  /**
   * Share of faultable calls answered 503 ServiceUnavailableException.
   * @default 0
   */
  serverErrorRate?: number
  /**
   * Share of faultable calls whose connection is destroyed with no answer (ECONNRESET), before
   * they are processed.
   * @default 0
   */
  dropRate?: number
  /**
   * Share of faultable calls that are never answered (until the client gives up, `close()` or an
   * outage), and not processed.
   * @default 0
   */
  hangRate?: number
  /**
   * Share of faultable calls (`stall-body`) answered status 200 with the headers of a JSON answer,
   * its `content-length` included, and the first half of that body, then nothing more: the body
   * never ends (until the client gives up, `close()` or an outage). Not processed. A client that
   * times out only until the headers arrive waits forever.
   * @default 0
   */
  stallRate?: number
  /**
   * Share of faultable calls (`hang-after-processing`) that are processed (their events stored)
   * and then never answered. A client that gives up and sends the batch again stores it twice:
   * the case where a shipper cannot avoid duplicates.
   * @default 0
   */
  hangAfterProcessingRate?: number
  /**
   * Share of faultable calls (`reset-after-processing`) that are processed (their events stored),
   * then whose connection is destroyed with no answer (ECONNRESET). A retry stores them twice.
   * @default 0
   */
  resetAfterProcessingRate?: number
  /**
   * Share of faultable calls (`too-large-413`) refused the way a proxy in front of the service
   * refuses a body over its limit (nginx's `client_max_body_size`): 413 with nginx's HTML page, not
   * processed. See `maxBodyBytes` for the size-based refusal.
   * @default 0
   */
  tooLargeRate?: number
  /**
   * Every request (of any operation) whose body is larger than this many bytes gets the
   * `too-large-413` answer, as from a proxy: before credentials, faults and latency, and without
   * drawing a random fault. `1048576` is nginx's default limit (1 MiB), which a full PutLogEvents
   * batch exceeds once JSON-encoded. `null`: no limit.
   * @default null
   */
  maxBodyBytes?: number | null
  /**
   * Delay in ms before the real handling of every call, whatever its operation. Faulted calls are
   * answered at once: the fault decides the answer, the latency stands for the work.
   * @default 0
   */
  latencyMs?: number
  /**
   * While set, every call of every operation is refused the way the service refuses bad keys
   * (UnrecognizedClientException) or missing IAM permissions (AccessDeniedException).
   * @default null
   */
  rejectCredentials?: CredentialsRejection | null
  /**
   * While set, every PutLogEvents call that sends an `entity` stores its events but not the entity, and answers
   * `rejectedEntityInfo: { errorType }` with this type, whatever the entity. For the refusals the endpoint never
   * decides itself (`EntitySizeTooLarge`, `UnsupportedLogGroupType`), or to see a shipper cope with any of them.
   * @default null
   */
  rejectEntity?: EntityRejection | null
  /**
   * Seed of the generator that draws the random faults. Each `setFaults` restarts it, so a run is
   * reproducible from the moment its faults are set.
   * @default 1
   */
  seed?: number
  /**
   * Operations the random faults hit.
   * @default ['PutLogEvents']
   */
  operations?: string[]
}

/**
 * The random faults, in the order one draw meets them. New ones go last: with their rates at 0,
 * the seeds of existing tests replay exactly the faults they did before.
 */
export const RANDOM_FAULTS = [
  ['throttleRate', 'throttle'],
  ['serverErrorRate', 'server-error'],
  ['dropRate', 'drop'],
  ['hangRate', 'hang'],
  ['stallRate', 'stall-body'],
  ['hangAfterProcessingRate', 'hang-after-processing'],
  ['resetAfterProcessingRate', 'reset-after-processing'],
  ['tooLargeRate', 'too-large-413']
] as const satisfies ReadonlyArray<readonly [keyof FaultOptions, FaultKind]>

export type FaultRate = typeof RANDOM_FAULTS[number][0]

interface ResolvedFaults {
  rates: ReadonlyArray<readonly [FaultKind, number]>
  maxBodyBytes: number | null
  latencyMs: number
  rejectCredentials: CredentialsRejection | null
  rejectEntity: EntityRejection | null
  seed: number
  operations: ReadonlySet<string>
}

/** Checks every option, naming the one at fault, and applies the defaults. */
export function resolveFaultOptions (options: FaultOptions = {}): ResolvedFaults {
  const rates = RANDOM_FAULTS.map(([name, kind]) => {
    const value = options[name] ?? 0
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new RangeError(`faults.${name} must be a number from 0 to 1, got ${String(value)}`)
    }
    return [kind, value] as const
  })
  // Shares written in decimal can add up to a hair over 1 in floating point (0.1 + 0.2 + 0.7).
  if (rates.reduce((sum, [, rate]) => sum + rate, 0) > 1 + 1e-9) {
    throw new RangeError(`faults: ${RANDOM_FAULTS.map(([name]) => name).join(' + ')} must not exceed 1`)
  }
  const resolved = {
    rates,
    maxBodyBytes: options.maxBodyBytes ?? null,
    latencyMs: options.latencyMs ?? 0,
    rejectCredentials: options.rejectCredentials ?? null,
    rejectEntity: options.rejectEntity ?? null,
    seed: options.seed ?? 1,
    operations: new Set(options.operations ?? ['PutLogEvents'])
  }
  if (resolved.maxBodyBytes !== null && !(Number.isSafeInteger(resolved.maxBodyBytes) && resolved.maxBodyBytes > 0)) {
    const got = String(resolved.maxBodyBytes)
    throw new RangeError(`faults.maxBodyBytes must be a positive integer, or null for no limit, got ${got}`)
  }
  if (typeof resolved.latencyMs !== 'number' || !(resolved.latencyMs >= 0 && Number.isFinite(resolved.latencyMs))) {
    throw new RangeError(`faults.latencyMs must be a finite number >= 0, got ${String(resolved.latencyMs)}`)
  }
  if (resolved.rejectCredentials !== null && resolved.rejectCredentials !== 'UnrecognizedClientException' &&
    resolved.rejectCredentials !== 'AccessDeniedException') {
    throw new RangeError("faults.rejectCredentials must be 'UnrecognizedClientException', 'AccessDeniedException' " +
      `or null, got ${String(resolved.rejectCredentials)}`)
  }
  if (resolved.rejectEntity !== null && !(ENTITY_REJECTIONS as readonly unknown[]).includes(resolved.rejectEntity)) {
    throw new RangeError(`faults.rejectEntity must be one of ${ENTITY_REJECTIONS.join(', ')} or null, ` +
      `got ${String(resolved.rejectEntity)}`)
  }
  if (!Number.isSafeInteger(resolved.seed)) {
    throw new RangeError(`faults.seed must be an integer, got ${String(resolved.seed)}`)
  }
  for (const operation of resolved.operations) {
    if (typeof operation !== 'string') throw new RangeError('faults.operations must be a list of operation names')
  }
  return resolved
}

/**
 * A small seeded generator (the mulberry32 construction) giving floats in [0, 1). Math.random
 * cannot be seeded, and fault tests must replay the same faults on every run.
 */
export function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Holds the fault settings and the failNext queue, and decides the fault of each call. */
export class FaultPlan {
  #options: ResolvedFaults
  #random: () => number
  readonly #queue: FaultKind[] = []

  constructor (options?: FaultOptions) {
    this.#options = resolveFaultOptions(options)
    this.#random = seededRandom(this.#options.seed)
  }

  /** Replaces the settings; the failNext queue is kept, it is a separate, explicit request. */
  set (options: FaultOptions): void {
    this.#options = resolveFaultOptions(options)
    this.#random = seededRandom(this.#options.seed)
  }

  queue (kinds: readonly FaultKind[]): void {
    for (const kind of kinds) {
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
        throw new TypeError(`failNext: unknown fault '${String(kind)}', expected one of ${FAULT_KINDS.join(', ')}`)
      }
    }
    this.#queue.push(...kinds)
  }

  get latencyMs (): number {
    return this.#options.latencyMs
  }

  get maxBodyBytes (): number | null {
    return this.#options.maxBodyBytes
  }

  get rejectEntity (): EntityRejection | null {
    return this.#options.rejectEntity
  }

  /**
   * In the order the service would fail a call: credentials first (nothing else is looked at for
   * an unknown caller), then the queued faults (PutLogEvents only), then one random draw per call
   * of a listed operation, so the n-th such call always meets the same fate for a given seed.
   */
  decide (operation: string): FaultKind | undefined {
    const { rejectCredentials } = this.#options
    if (rejectCredentials === 'UnrecognizedClientException') return 'unrecognized-client'
    if (rejectCredentials === 'AccessDeniedException') return 'access-denied'
    if (operation === 'PutLogEvents' && this.#queue.length > 0) return this.#queue.shift()
    if (!this.#options.operations.has(operation)) return undefined
    let draw = this.#random()
    for (const [kind, rate] of this.#options.rates) {
      if ((draw -= rate) < 0) return kind
    }
    return undefined
  }
}

export interface FaultContext { operation: string, logGroupName?: unknown, logStreamName?: unknown }

/** The answer of a fault that answers: status, `__type` and a message worded like the service's. */
export function faultAnswer (kind: ServiceFaultKind,
  context: FaultContext): { status: number, type: string, message: string } {
  switch (kind) {
    case 'throttle':
      return { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }
    case 'server-error':
      return {
        status: 503,
        type: 'ServiceUnavailableException',
        message: 'The service is unavailable. Please try again later.'
      }
    case 'invalid-parameter':
      return {
        status: 400,
        type: 'InvalidParameterException',
        message: 'Injected fault: the request was refused as invalid.'
      }
    case 'not-found-group':
      return { status: 400, type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }
    case 'not-found-stream':
      return { status: 400, type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' }
    case 'unrecognized-client':
      return {
        status: 400,
        type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.'
      }
    case 'access-denied':
      return { status: 400, type: 'AccessDeniedException', message: accessDeniedMessage(context) }
  }
}

function accessDeniedMessage ({ operation, logGroupName, logStreamName }: FaultContext): string {
  const group = typeof logGroupName === 'string' ? logGroupName : '*'
  const stream = typeof logStreamName === 'string' ? `:log-stream:${logStreamName}` : ':*'
  return `User: arn:aws:iam::123456789012:user/test is not authorized to perform: logs:${operation} on resource: ` +
    `arn:aws:logs:us-east-1:123456789012:log-group:${group}${stream} because no identity-based policy ` +
    `allows the logs:${operation} action`
}
