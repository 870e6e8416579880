import { isAscii } from 'node:buffer'
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { answerTooLarge, stallBody } from './connection-faults.js'
import { FaultPlan, faultAnswer, type FaultKind, type FaultOptions } from './faults.js'
import { LiveTail, type LiveTailOptions } from './live-tail.js'
import { checkLiveTailRequest, type LiveTailStart } from './live-tail-rules.js'
import { batchBytes, ServiceError, type Request, type Response } from './rules.js'
import { checkSignedBody } from './signed-body.js'
import type { MetricDatapoint, MetricQuery } from './metric-store.js'
import { LogStore, type StoredEvent } from './store.js'

/** The awsJson1.1 protocol the SDK speaks: one POST per call, the operation in X-Amz-Target. */
const TARGET_PREFIX = 'Logs_20140328.'
const CONTENT_TYPE = 'application/x-amz-json-1.1'
/** A full PutLogEvents body is about 1 MB, more with JSON escapes; anything far larger is abuse. */
const MAX_BODY_BYTES = 32 * 1024 * 1024
/**
 * Node's default (5 s) closes idle connections so soon that a client reusing one at that instant
 * gets ECONNRESET: spurious network errors in tests. The service keeps idle connections far longer.
 */
const KEEP_ALIVE_MS = 65_000
/** What a `stall-body` call starts to answer: a PutLogEvents answer, as long as the real one. */
const STALLED_BODY = JSON.stringify({ nextSequenceToken: '4'.padEnd(56, '0') })

/** The fault plan goes along for the settings that change what a processed call answers (`rejectEntity`). */
type Handler = (store: LogStore, request: Request, now: number, faults: FaultPlan) => Response

const OPERATIONS = new Map<string, Handler>([
  ['CreateLogGroup', (s, r, now) => s.createLogGroup(r, now)],
  ['CreateLogStream', (s, r, now) => s.createLogStream(r, now)],
  ['DeleteLogGroup', (s, r) => s.deleteLogGroup(r)],
  ['PutLogGroupDeletionProtection', (s, r) => s.putLogGroupDeletionProtection(r)],
  ['DeleteLogStream', (s, r) => s.deleteLogStream(r)],
  ['PutRetentionPolicy', (s, r) => s.putRetentionPolicy(r)],
  ['DeleteRetentionPolicy', (s, r) => s.deleteRetentionPolicy(r)],
  ['DescribeLogGroups', (s, r) => s.describeLogGroups(r)],
  ['ListTagsForResource', (s, r) => s.listTagsForResource(r)],
  ['DescribeLogStreams', (s, r) => s.describeLogStreams(r)],
  ['PutLogEvents', (s, r, now, faults) => s.putLogEvents(r, now, faults.rejectEntity)],
  ['GetLogEvents', (s, r) => s.getLogEvents(r)],
  ['FilterLogEvents', (s, r) => s.filterLogEvents(r)],
  // Checked like any call; a valid one is answered with an event stream (live-tail.ts) instead of JSON.
  ['StartLiveTail', (s, r) => checkLiveTailRequest(r, (name) => s.groupNames().includes(name))]
])

export interface LocalEndpointOptions {
  /**
   * Port to listen on; 0 picks a free one (read it back from `port` or `url`).
   * @default 0
   */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Faults to inject from the start; see `setFaults`. */
  faults?: FaultOptions
  /**
   * Create missing groups and streams on PutLogEvents. Off by default: like the service, they must
   * be created first, and a shipper under test must cope with that.
   * @default false
   */
  autoCreate?: boolean
  /**
   * The service's clock (epoch ms): decides the too-old/too-new window and ingestion times.
   * Tests pin it to check the window to the millisecond.
   * @default Date.now
   */
  now?: () => number
  /** How StartLiveTail sessions run (update interval, session timeout, sampling); the service's by default. */
  liveTail?: LiveTailOptions
}

/**
 * One request as the endpoint saw it. `status` is the status sent, 0 for a call never answered
 * (drop, hang, hang-after-processing, reset-after-processing); a `stall-body` call has 200 though
 * its body never ends.
 */
export interface CallRecord {
  operation: string
  status: number
  /** The injected fault, if any; `too-large-413` also when the body was over `maxBodyBytes`. */
  fault?: FaultKind
  /** Size of the HTTP request body: what a proxy's body limit (`maxBodyBytes`) is compared with. */
  bodyBytes: number
  /** PutLogEvents: number of events sent. */
  events?: number
  /** PutLogEvents: batch size as the service counts it (UTF-8 bytes of each message + 26). */
  bytes?: number
  /** The `__type` of the error answered. */
  error?: string
}

export interface LocalEndpoint {
  /** `http://host:port`, to pass as the client's `endpoint`. */
  readonly url: string
  readonly port: number
  /** Every request received, in the order their bodies arrived; `status` is set once answered. */
  readonly calls: CallRecord[]
  /** Replaces the fault settings (and restarts the fault generator from the seed). */
  setFaults: (faults: FaultOptions) => void
  /** The next PutLogEvents calls get exactly these faults, in order, before random faults apply. */
  failNext: (...kinds: FaultKind[]) => void
  /** Stops listening (connections refused, open ones cut) for `ms`, then listens on the same port. */
  outage: (ms: number) => Promise<void>
  /**
   * Deletes a group with its streams and events, as someone else would; a missing group is ignored, and deletion
   * protection does not stop it.
   */
  deleteLogGroup: (name: string) => void
  /**
   * Stored events, in the service's order: by timestamp, equal timestamps in arrival order. Each carries the `entity`
   * its PutLogEvents call sent, when the endpoint accepted it (the API never gives it back).
   */
  events: (group: string, stream: string) => StoredEvent[]
  groups: () => string[]
  streams: (group: string) => string[]
  /**
   * Metrics extracted from stored events in the embedded metric format, as CloudWatch extracts them (none in
   * INFREQUENT_ACCESS or DELIVERY groups); EMF events it could not use count as `AWS/Logs` `EMFParsingErrors` and
   * `EMFValidationErrors` with the dimension `LogGroupName`. Datapoints in the order they were stored.
   */
  metrics: (query?: MetricQuery) => MetricDatapoint[]
  /**
   * Connections open now, idle keep-alive ones included. Shows whether a client that gave up on a
   * hanging or stalled call closed its socket.
   */
  openConnections: () => Promise<number>
  /** Stops the endpoint; hanging, stalled and delayed requests are cut. */
  close: () => Promise<void>
}

export async function startLocalEndpoint (options: LocalEndpointOptions = {}): Promise<LocalEndpoint> {
  return await Endpoint.start(options)
}

class Endpoint implements LocalEndpoint {
  readonly calls: CallRecord[] = []
  url = ''
  port = 0
  readonly #host: string
  readonly #now: () => number
  readonly #store: LogStore
  readonly #faults: FaultPlan
  readonly #liveTail: LiveTail
  readonly #server: Server
  /** Latency timers, cleared when the connections they would answer are cut. */
  readonly #timers = new Set<NodeJS.Timeout>()
  #outage: Promise<void> | undefined
  #endOutage: (() => void) | undefined
  #closed = false
  #closing: Promise<void> | undefined

  static async start (options: LocalEndpointOptions): Promise<Endpoint> {
    const endpoint = new Endpoint(options)
    await endpoint.#listen(options.port ?? 0)
    return endpoint
  }

  constructor (options: LocalEndpointOptions) {
    this.#host = options.host ?? '127.0.0.1'
    this.#now = options.now ?? Date.now
    this.#store = new LogStore({ autoCreate: options.autoCreate ?? false })
    this.#faults = new FaultPlan(options.faults)
    this.#liveTail = new LiveTail(options.liveTail)
    this.#server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS, noDelay: true },
      (req, res) => this.#receive(req, res))
  }

  async #listen (port: number): Promise<void> {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`)
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err)
      this.#server.once('error', onError)
      this.#server.listen(port, this.#host, () => {
        this.#server.off('error', onError)
        resolve()
      })
    })
    const address = this.#server.address()
    if (address !== null && typeof address === 'object') this.port = address.port
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host
    this.url = `http://${host}:${this.port}`
  }

  setFaults (faults: FaultOptions): void {
    this.#faults.set(faults)
  }

  failNext (...kinds: FaultKind[]): void {
    this.#faults.queue(kinds)
  }

  outage (ms: number): Promise<void> {
    if (!(ms >= 0 && Number.isFinite(ms))) {
      return Promise.reject(new RangeError(`outage: ms must be a finite number >= 0, got ${ms}`))
    }
    if (this.#closed) return Promise.reject(new Error('outage: the endpoint is closed'))
    if (this.#outage !== undefined) return Promise.reject(new Error('outage: an outage is already running'))
    // Closing the listening socket happens now, before the caller's next call can connect.
    const stopped = this.#stopListening()
    this.#outage = (async () => {
      await stopped
      if (this.#closed) return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        this.#endOutage = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      if (!this.#closed) await this.#listen(this.port)
    })().finally(() => {
      this.#outage = undefined
      this.#endOutage = undefined
    })
    return this.#outage
  }

  deleteLogGroup (name: string): void {
    this.#store.removeGroup(name)
  }

  events (group: string, stream: string): StoredEvent[] {
    return this.#store.events(group, stream)
  }

  groups (): string[] {
    return this.#store.groupNames()
  }

  streams (group: string): string[] {
    return this.#store.streamNames(group)
  }

  metrics (query?: MetricQuery): MetricDatapoint[] {
    return this.#store.metrics(query)
  }

  openConnections (): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.getConnections((err, count) => err === null ? resolve(count) : reject(err))
    })
  }

  /** Closing during an outage ends it without listening again. */
  close (): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true
      this.#endOutage?.()
      await this.#outage?.catch(() => {})
      await this.#stopListening()
    })()
    return this.#closing
  }

  /** Refuses new connections and cuts the open ones, hanging, stalled and delayed requests included. */
  #stopListening (): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    this.#liveTail.closeAll()
    return new Promise((resolve) => {
      // The callback also fires (with an error) when the server was not listening: fine either way.
      this.#server.close(() => resolve())
      this.#server.closeAllConnections()
    })
  }

  /**
   * Bodies are read as Buffer chunks and joined once: 1 MB bodies arrive in many chunks. A body
   * over a limit is read to its end but not kept, so that its client gets the answer.
   */
  #receive (req: IncomingMessage, res: ServerResponse): void {
    const proxyLimit = this.#faults.maxBodyBytes
    const keep = Math.min(MAX_BODY_BYTES, proxyLimit ?? Infinity)
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= keep) chunks.push(chunk)
    })
    req.on('end', () => {
      const target = req.headers['x-amz-target']
      const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : String(target ?? '')
      const call: CallRecord = { operation, status: 0, bodyBytes: size }
      this.calls.push(call)
      // The proxy in front refuses it: the service never sees the call.
      if (proxyLimit !== null && size > proxyLimit) return this.#inflict('too-large-413', req, res, call, {})
      const body = size > MAX_BODY_BYTES ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)
      this.#handle(req, res, call, body)
    })
    // A client that goes away mid-body is its own business; nothing is left to answer.
    req.on('error', () => {})
  }

  /** Credentials, queued fault, random fault, latency, then the real work: in that order. */
  #handle (req: IncomingMessage, res: ServerResponse, call: CallRecord, body: Buffer | undefined): void {
    const operation = call.operation
    const handler = OPERATIONS.get(operation)
    if (req.method !== 'POST' || handler === undefined) {
      return this.#sendError(res, call,
        new ServiceError('UnknownOperationException', `Unknown operation: ${operation || '(no X-Amz-Target)'}`))
    }
    if (body === undefined) {
      return this.#sendError(res, call,
        new ServiceError('SerializationException', `Request body exceeds ${MAX_BODY_BYTES} bytes`, 413))
    }
    const unsigned = checkSignedBody(req, body)
    if (unsigned !== undefined) return this.#sendError(res, call, unsigned)
    let request: Request
    try {
      request = body.length === 0 ? {} : JSON.parse(decode(body))
    } catch {
      return this.#sendError(res, call,
        new ServiceError('SerializationException', 'The request body is not valid JSON'))
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return this.#sendError(res, call,
        new ServiceError('SerializationException', 'The request body must be a JSON object'))
    }
    if (operation === 'PutLogEvents' && Array.isArray(request.logEvents)) {
      call.events = request.logEvents.length
      call.bytes = batchBytes(request.logEvents)
    }
    const fault = this.#faults.decide(operation)
    if (fault !== undefined) return this.#inflict(fault, req, res, call, request, handler)
    const latency = this.#faults.latencyMs
    if (latency === 0) return this.#run(handler, request, res, call)
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      this.#run(handler, request, res, call)
    }, latency)
    this.#timers.add(timer)
  }

  /**
   * A request never answered (hang, stall) is left as is: the client giving up frees its socket,
   * and closing or an outage cuts it. The `-after-processing` faults do the real work first,
   * whatever its outcome, and only then fail: the caller cannot know its events were stored.
   */
  #inflict (fault: FaultKind, req: IncomingMessage, res: ServerResponse, call: CallRecord, request: Request,
    handler?: Handler): void {
    call.fault = fault
    switch (fault) {
      case 'hang':
        return
      case 'drop':
        req.socket.destroy()
        return
      case 'hang-after-processing':
        this.#process(handler!, request)
        return
      case 'reset-after-processing':
        this.#process(handler!, request)
        req.socket.destroy()
        return
      case 'stall-body':
        if (!res.destroyed) call.status = 200
        return stallBody(res, this.#headers(undefined), STALLED_BODY)
      case 'too-large-413':
        if (!res.destroyed) call.status = 413
        return answerTooLarge(res, new Date(this.#now()))
    }
    const { logGroupName, logStreamName } = request
    const { status, type, message } = faultAnswer(fault, { operation: call.operation, logGroupName, logStreamName })
    this.#sendError(res, call, new ServiceError(type, message, status))
  }

  #run (handler: Handler, request: Request, res: ServerResponse, call: CallRecord): void {
    const outcome = this.#process(handler, request)
    if (outcome instanceof ServiceError) return this.#sendError(res, call, outcome)
    if (call.operation === 'StartLiveTail') {
      if (!res.destroyed) call.status = 200
      return this.#liveTail.open(res, outcome as LiveTailStart, this.#headers(undefined))
    }
    this.#send(res, call, 200, JSON.stringify(outcome), undefined)
  }

  /** The operation's answer, or the error to answer instead. */
  #process (handler: Handler, request: Request): Response | ServiceError {
    try {
      const now = this.#now()
      const outcome = handler(this.#store, request, now, this.#faults)
      // Live Tail sessions see each event once it is stored, as the service streams events once ingested.
      if (handler === OPERATIONS.get('PutLogEvents')) this.#liveTail.published(request, outcome, now)
      return outcome
    } catch (err) {
      return err instanceof ServiceError
        ? err
        : new ServiceError('InternalFailure', String((err as Error)?.message ?? err), 500)
    }
  }

  /** The SDK reads the error name from `__type` (then the header) and the text from `message`. */
  #sendError (res: ServerResponse, call: CallRecord, error: ServiceError): void {
    if (this.#send(res, call, error.status, JSON.stringify({ __type: error.type, message: error.message }),
      error.type)) {
      call.error = error.type
    }
  }

  /** False when the connection was cut first (outage, close): the call stays unanswered. */
  #send (res: ServerResponse, call: CallRecord, status: number, body: string, errorType: string | undefined): boolean {
    if (res.destroyed) return false
    call.status = status
    res.writeHead(status, { ...this.#headers(errorType), 'content-length': Buffer.byteLength(body, 'utf8') })
    res.end(body)
    return true
  }

  #headers (errorType: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'x-amzn-requestid': randomUUID(),
      // The service's clock, like the real one's: clients correct their clock skew from it.
      date: new Date(this.#now()).toUTCString()
    }
    if (errorType !== undefined) headers['x-amzn-errortype'] = errorType
    return headers
  }
}

/**
 * Decoding a 1 MB body as UTF-8 costs milliseconds on Node 20, a large share of a call under a
 * benchmark. Most log bodies are pure ASCII, and for those latin1 gives the same string far faster.
 */
function decode (body: Buffer): string {
  return isAscii(body) ? body.toString('latin1') : body.toString('utf8')
}
