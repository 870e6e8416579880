/** Fault injection: which call fails how. Pure decisions; the server carries them out. */

export const FAULT_KINDS = [
  'throttle', 'server-error', 'drop', 'hang', 'invalid-parameter',
  'not-found-group', 'not-found-stream', 'unrecognized-client', 'access-denied'
] as const

export type FaultKind = typeof FAULT_KINDS[number]

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
   * Share of faultable calls whose connection is destroyed with no answer (ECONNRESET).
   * @default 0
   */
  dropRate?: number
  /**
   * Share of faultable calls that are never answered (until `close()` or an outage).
   * @default 0
   */
  hangRate?: number
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

interface ResolvedFaults {
  throttleRate: number
  serverErrorRate: number
  dropRate: number
  hangRate: number
  latencyMs: number
  rejectCredentials: CredentialsRejection | null
  seed: number
  operations: ReadonlySet<string>
}

/** Checks every option, naming the one at fault, and applies the defaults. */
export function resolveFaultOptions (options: FaultOptions = {}): ResolvedFaults {
  const rate = (name: keyof FaultOptions): number => {
    const value = options[name] ?? 0
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new RangeError(`faults.${name} must be a number from 0 to 1, got ${String(value)}`)
    return value
  }
  const resolved = {
    throttleRate: rate('throttleRate'),
    serverErrorRate: rate('serverErrorRate'),
    dropRate: rate('dropRate'),
    hangRate: rate('hangRate'),
    latencyMs: options.latencyMs ?? 0,
    rejectCredentials: options.rejectCredentials ?? null,
    seed: options.seed ?? 1,
    operations: new Set(options.operations ?? ['PutLogEvents'])
  }
  if (resolved.throttleRate + resolved.serverErrorRate + resolved.dropRate + resolved.hangRate > 1) {
    throw new RangeError('faults: throttleRate + serverErrorRate + dropRate + hangRate must not exceed 1')
  }
  if (typeof resolved.latencyMs !== 'number' || !(resolved.latencyMs >= 0 && Number.isFinite(resolved.latencyMs))) {
    throw new RangeError(`faults.latencyMs must be a finite number >= 0, got ${String(resolved.latencyMs)}`)
  }
  if (resolved.rejectCredentials !== null && resolved.rejectCredentials !== 'UnrecognizedClientException' &&
    resolved.rejectCredentials !== 'AccessDeniedException') {
    throw new RangeError(`faults.rejectCredentials must be 'UnrecognizedClientException', 'AccessDeniedException' or null, got ${String(resolved.rejectCredentials)}`)
  }
  if (!Number.isSafeInteger(resolved.seed)) throw new RangeError(`faults.seed must be an integer, got ${String(resolved.seed)}`)
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
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new TypeError(`failNext: unknown fault '${String(kind)}', expected one of ${FAULT_KINDS.join(', ')}`)
    }
    this.#queue.push(...kinds)
  }

  get latencyMs (): number {
    return this.#options.latencyMs
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
    const { throttleRate, serverErrorRate, dropRate, hangRate } = this.#options
    let draw = this.#random()
    if ((draw -= throttleRate) < 0) return 'throttle'
    if ((draw -= serverErrorRate) < 0) return 'server-error'
    if ((draw -= dropRate) < 0) return 'drop'
    if ((draw -= hangRate) < 0) return 'hang'
    return undefined
  }
}

export interface FaultContext { operation: string, logGroupName?: unknown, logStreamName?: unknown }

/** The answer of a fault that answers: status, `__type` and a message worded like the service's. */
export function faultAnswer (kind: Exclude<FaultKind, 'drop' | 'hang'>, context: FaultContext): { status: number, type: string, message: string } {
  switch (kind) {
    case 'throttle':
      return { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }
    case 'server-error':
      return { status: 503, type: 'ServiceUnavailableException', message: 'The service is unavailable. Please try again later.' }
    case 'invalid-parameter':
      return { status: 400, type: 'InvalidParameterException', message: 'Injected fault: the request was refused as invalid.' }
    case 'not-found-group':
      return { status: 400, type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }
    case 'not-found-stream':
      return { status: 400, type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' }
    case 'unrecognized-client':
      return { status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }
    case 'access-denied':
      return { status: 400, type: 'AccessDeniedException', message: accessDeniedMessage(context) }
  }
}

function accessDeniedMessage ({ operation, logGroupName, logStreamName }: FaultContext): string {
  const group = typeof logGroupName === 'string' ? logGroupName : '*'
  const stream = typeof logStreamName === 'string' ? `:log-stream:${logStreamName}` : ':*'
  return `User: arn:aws:iam::123456789012:user/test is not authorized to perform: logs:${operation} on resource: ` +
    `arn:aws:logs:us-east-1:123456789012:log-group:${group}${stream} because no identity-based policy allows the logs:${operation} action`
}
