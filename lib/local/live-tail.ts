import type { ServerResponse } from 'node:http'
import { encodeMessage, text, type HeaderValue } from './event-stream.js'
import {
  LIVE_TAIL, selectEvents, sessionUpdate, storedEvents, type LiveTailEvent, type LiveTailFilter, type LiveTailStart
} from './live-tail-rules.js'
import type { Request, Response } from './rules.js'

/** How the endpoint's Live Tail sessions run; the defaults are the service's. */
export interface LiveTailOptions {
  /**
   * Time between two sessionUpdate events (sent even when empty, as the service does).
   * @default 1000
   */
  updateIntervalMs?: number
  /**
   * A session ends with SessionTimeoutException after this long; tests shorten it to see a client reconnect.
   * @default 10800000 (3 hours)
   */
  sessionTimeoutMs?: number
  /**
   * Events in one sessionUpdate; past it the update is sampled (`sampled: true`).
   * @default 500
   */
  maxEventsPerUpdate?: number
}

const EVENT_STREAM = 'application/vnd.amazon.eventstream'

function eventMessage (eventType: string, body: unknown): Buffer {
  const headers: Record<string, HeaderValue> = {
    ':message-type': text('event'),
    ':event-type': text(eventType),
    ':content-type': text('application/json')
  }
  return encodeMessage({ headers, payload: Buffer.from(JSON.stringify(body), 'utf8') })
}

function exceptionMessage (type: string, message: string): Buffer {
  const headers: Record<string, HeaderValue> = {
    ':message-type': text('exception'),
    ':exception-type': text(type),
    ':content-type': text('application/json')
  }
  return encodeMessage({ headers, payload: Buffer.from(JSON.stringify({ message }), 'utf8') })
}

/** One open StartLiveTail answer: events matched since the last update wait here for the next one. */
class Session {
  readonly #res: ServerResponse
  readonly #filter: LiveTailFilter
  readonly #max: number
  readonly #update: NodeJS.Timeout
  readonly #timeout: NodeJS.Timeout
  #pending: LiveTailEvent[] = []
  #ended = false

  constructor (res: ServerResponse, start: LiveTailStart, options: Required<LiveTailOptions>, onEnd: () => void) {
    this.#res = res
    this.#filter = start.filter
    this.#max = options.maxEventsPerUpdate
    this.#update = setInterval(() => this.#flush(), options.updateIntervalMs)
    this.#timeout = setTimeout(() => {
      this.#flush()
      this.end(exceptionMessage('SessionTimeoutException', 'Session timed out after the maximum session duration.'))
    }, options.sessionTimeoutMs)
    res.once('close', () => {
      this.#stop()
      onEnd()
    })
    res.write(eventMessage('sessionStart', start.sessionStart))
  }

  offer (group: string, stream: string, events: ReadonlyArray<{ timestamp: number, message: string }>,
    ingestionTime: number): void {
    if (this.#ended) return
    for (const event of selectEvents(this.#filter, group, stream, events, ingestionTime)) this.#pending.push(event)
  }

  /** Ends the answer, after a last message (the timeout's exception) if given. */
  end (last?: Buffer): void {
    if (this.#ended) return
    this.#stop()
    if (!this.#res.destroyed) this.#res.end(last)
  }

  #flush (): void {
    if (this.#ended || this.#res.destroyed) return
    const events = this.#pending
    this.#pending = []
    this.#res.write(eventMessage('sessionUpdate', sessionUpdate(events, this.#max)))
  }

  #stop (): void {
    this.#ended = true
    clearInterval(this.#update)
    clearTimeout(this.#timeout)
  }
}

/** The endpoint's Live Tail: open sessions, and the events each PutLogEvents stored, handed to them. */
export class LiveTail {
  readonly #options: Required<LiveTailOptions>
  readonly #sessions = new Set<Session>()

  constructor (options: LiveTailOptions = {}) {
    this.#options = {
      updateIntervalMs: options.updateIntervalMs ?? LIVE_TAIL.updateIntervalMs,
      sessionTimeoutMs: options.sessionTimeoutMs ?? LIVE_TAIL.sessionTimeoutMs,
      maxEventsPerUpdate: options.maxEventsPerUpdate ?? LIVE_TAIL.maxEventsPerUpdate
    }
  }

  /** Answers a checked StartLiveTail request with an event stream that stays open until the session ends. */
  open (res: ServerResponse, start: LiveTailStart, headers: Record<string, string>): void {
    if (res.destroyed) return
    res.writeHead(200, { ...headers, 'content-type': EVENT_STREAM })
    // Each message goes out as soon as it is written: a client reads an update the second it is sent.
    res.socket?.setNoDelay(true)
    const session = new Session(res, start, this.#options, () => this.#sessions.delete(session))
    this.#sessions.add(session)
  }

  /** A PutLogEvents call succeeded: its stored events go to every session that selects them. */
  published (request: Request, response: Response, ingestionTime: number): void {
    if (this.#sessions.size === 0) return
    const events = storedEvents(request, response)
    if (events.length === 0) return
    for (const session of this.#sessions) {
      session.offer(request.logGroupName as string, request.logStreamName as string, events, ingestionTime)
    }
  }

  /** Ends every session (the endpoint closes). */
  closeAll (): void {
    for (const session of this.#sessions) session.end()
    this.#sessions.clear()
  }
}
