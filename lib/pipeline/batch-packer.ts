import { LIMITS, eventSize } from '../cloudwatch/limits.js'
import { splitMessage, truncateMessage } from './oversize.js'
import type { Batch, BodyFrame, LogEvent } from './batch.js'
import { encodeBatch } from './encoded-batch.js'
import { acceptedWindow, clamp, PACK_MARGIN_MS, type TimeWindow } from '../cloudwatch/time-window.js'

/**
 * The most of a full batch its last millisecond may be to be carried into the next batch: a batch kept to a fraction
 * of its size would cost more calls than it saves. Past this the batch goes whole, and the next one, sharing its last
 * millisecond, is sent after it rather than beside it: measured against an endpoint taking 300 ms a call, a sixteenth
 * held back so many batches that a 300,000-line burst missed pino's exit window (test/e2e/bad-days.test.ts).
 */
const MAX_CARRIED = 1 / 8

/** What an event of the batch being filled costs besides its text (see `memory`). */
const OPEN_EVENT_MEMORY = 80

export interface PackerLimits {
  /** Most events in a batch (<= 10000). */
  maxCount: number
  /** Most bytes in a batch, counted the service's way (<= 1048576). */
  maxBytes: number
  oversize: 'split' | 'truncate'
  retentionInDays?: number | undefined
  /** What the request body has around the events: sealed batches are encoded inside it. */
  frame?: BodyFrame | undefined
}

export interface PackerStats {
  /** Events cut in parts because they were over the per-event limit. */
  split: number
  /** Events cut short because they were over the per-event limit. */
  truncated: number
  /** Events whose timestamp was moved into the window the service accepts. */
  adjusted: number
}

/**
 * Turns events into batches that obey every PutLogEvents rule: 1..maxCount events, at most
 * maxBytes, no event over the per-event limit, sorted, spanning at most 24 h, timestamps inside
 * the accepted window. Pure: no timers, no I/O; the caller says what time it is.
 */
export class BatchPacker {
  readonly stats: PackerStats = { split: 0, truncated: 0, adjusted: 0 }
  readonly #limits: PackerLimits
  readonly #maxMessageBytes: number
  readonly #onBatch: (batch: Batch) => void
  #events: LogEvent[] = []
  #bytes = 0
  #min = 0
  #max = 0
  #sorted = true
  #openedAt = 0
  #window: TimeWindow = { min: -Infinity, max: Infinity }
  #windowAt = -Infinity

  constructor (limits: PackerLimits, onBatch: (batch: Batch) => void) {
    this.#limits = limits
    this.#maxMessageBytes = Math.min(LIMITS.maxEventBytes, limits.maxBytes) - LIMITS.eventOverhead
    this.#onBatch = onBatch
  }

  /** Events in the batch being filled. */
  get length (): number { return this.#events.length }
  /** Bytes in the batch being filled, counted the service's way. */
  get bytes (): number { return this.#bytes }
  /**
   * Memory the batch being filled holds: until it is sealed (and encoded) each event is an object and a string, which
   * V8 keeps in 70-100 bytes besides the text.
   */
  get memory (): number { return this.#bytes + this.#events.length * OPEN_EVENT_MEMORY }
  /** When the oldest event of the batch being filled was received. */
  get openedAt (): number { return this.#openedAt }

  /** Adds one event. `message` must not be empty; `now` is the time it was received. */
  add (timestamp: number, message: string, now: number): void {
    if (now - this.#windowAt > 1000 || now < this.#windowAt) {
      this.#window = acceptedWindow(now, this.#limits.retentionInDays, PACK_MARGIN_MS)
      this.#windowAt = now
    }
    const inWindow = clamp(timestamp, this.#window)
    if (inWindow !== timestamp) this.stats.adjusted++
    const size = Buffer.byteLength(message, 'utf8')
    if (size <= this.#maxMessageBytes) {
      this.#push(inWindow, message, size + LIMITS.eventOverhead, now)
    } else if (this.#limits.oversize === 'truncate') {
      this.stats.truncated++
      const cut = truncateMessage(message, this.#maxMessageBytes)
      this.#push(inWindow, cut, eventSize(cut), now)
    } else {
      this.stats.split++
      for (const part of splitMessage(message, this.#maxMessageBytes)) {
        this.#push(inWindow, part, eventSize(part), now)
      }
    }
  }

  /** Hands the batch being filled to the callback, if it holds anything. */
  seal (): void {
    const events = this.#events
    if (events.length === 0) return
    // Array#sort is stable, so lines logged in the same millisecond keep their order.
    if (!this.#sorted) events.sort((a, b) => a.timestamp - b.timestamp)
    // Encoded here, once: from now on the batch is the bytes it is sent as.
    const batch = encodeBatch(events, this.#openedAt, this.#bytes, this.#limits.frame)
    this.#events = []
    this.#bytes = 0
    this.#sorted = true
    this.#onBatch(batch)
  }

  /**
   * Seals a full batch on a millisecond boundary: the events of its last millisecond open the next batch, so
   * consecutive batches never share a timestamp and can be in flight together without changing the stored order
   * (the service orders equal timestamps by arrival). Nothing is carried when `next`, the event that did not fit,
   * starts a later millisecond; a batch that is one millisecond from end to end is sealed whole.
   */
  #sealFull (now: number, next: number): void {
    const events = this.#events
    if (!this.#sorted) {
      events.sort((a, b) => a.timestamp - b.timestamp)
      this.#sorted = true
    }
    const last = events[events.length - 1]!.timestamp
    if (next > last) return this.seal()
    let cut = events.length
    while (cut > 0 && events[cut - 1]!.timestamp === last) cut--
    if (cut === 0 || events.length - cut > events.length * MAX_CARRIED) return this.seal()
    const tail = events.splice(cut)
    let tailBytes = 0
    for (const e of tail) tailBytes += eventSize(e.message)
    this.#bytes -= tailBytes
    this.seal()
    this.#events = tail
    this.#bytes = tailBytes
    this.#openedAt = now
    this.#min = this.#max = last
  }

  #push (timestamp: number, message: string, bytes: number, now: number): void {
    if (this.#events.length > 0) {
      const min = timestamp < this.#min ? timestamp : this.#min
      const max = timestamp > this.#max ? timestamp : this.#max
      if (max - min > LIMITS.maxSpanMs) this.seal()
      else if (this.#events.length >= this.#limits.maxCount || this.#bytes + bytes > this.#limits.maxBytes) {
        this.#sealFull(now, timestamp)
        // The carried tail and this event may still not fit together.
        if (this.#events.length >= this.#limits.maxCount || this.#bytes + bytes > this.#limits.maxBytes) this.seal()
      }
    }
    const events = this.#events
    if (events.length === 0) {
      this.#openedAt = now
      this.#min = this.#max = timestamp
    } else {
      if (timestamp < this.#max) this.#sorted = false
      if (timestamp < this.#min) this.#min = timestamp
      if (timestamp > this.#max) this.#max = timestamp
    }
    events.push({ timestamp, message })
    this.#bytes += bytes
  }
}
