import type { StoredEntity } from './entity-rules.js'
import type { InputLogEvent } from './rules.js'

export interface StoredEvent {
  timestamp: number
  message: string
  ingestionTime: number
  /** The entity sent with the event's PutLogEvents call, when the endpoint accepted one. */
  entity?: StoredEntity
}

const INITIAL_CAPACITY = 1024

/**
 * One stream's events, sorted by timestamp with equal timestamps in arrival order, kept in columns.
 *
 * Why columns: benchmarks push ~50 MB/s of small events through the endpoint. Kept as one object
 * and one string each, millions of live objects make every major garbage collection slower and
 * the endpoint falls behind. Here each stored batch's messages are joined into a single string and
 * an event is a timestamp plus a range of that string, held in typed arrays the collector never
 * walks. A message is cut out again (a cheap slice) only when someone reads it.
 */
export class EventLog {
  #length = 0
  #timestamps = new Float64Array(INITIAL_CAPACITY)
  /** Which chunk holds the message, and where: [start, end) in UTF-16 units of that chunk. */
  #chunkOf = new Uint32Array(INITIAL_CAPACITY)
  #start = new Uint32Array(INITIAL_CAPACITY)
  #end = new Uint32Array(INITIAL_CAPACITY)
  readonly #chunks: string[] = []
  readonly #ingestionTimes: number[] = []
  /** The entity each chunk (one stored batch) was sent with: the API never reads it back, only `events()` shows it. */
  readonly #entities: Array<StoredEntity | undefined> = []

  get length (): number {
    return this.#length
  }

  timestamp (i: number): number {
    return this.#timestamps[i]!
  }

  message (i: number): string {
    return this.#chunks[this.#chunkOf[i]!]!.slice(this.#start[i], this.#end[i])
  }

  /**
   * What tells event i apart for good: its batch's chunk and its place there. Its index moves when an older batch is
   * merged in before it (parallel puts), and an event ID built from it would make a poller print the event twice.
   */
  key (i: number): string {
    return `${this.#chunkOf[i]!}.${this.#start[i]!}`
  }

  event (i: number): StoredEvent {
    return {
      timestamp: this.#timestamps[i]!,
      message: this.message(i),
      ingestionTime: this.#ingestionTimes[this.#chunkOf[i]!]!
    }
  }

  slice (from: number, to: number): StoredEvent[] {
    const events = new Array<StoredEvent>(Math.max(0, to - from))
    for (let i = from; i < to; i++) events[i - from] = this.event(i)
    return events
  }

  /** Every event, each with the entity of its batch when it had one: what the endpoint's `events()` hands out. */
  all (): StoredEvent[] {
    const events = this.slice(0, this.#length)
    for (let i = 0; i < events.length; i++) {
      const entity = this.#entities[this.#chunkOf[i]!]
      if (entity !== undefined) events[i]!.entity = entity
    }
    return events
  }

  /** Index of the first event with timestamp >= t. */
  firstAtOrAfter (t: number): number {
    let lo = 0
    let hi = this.#length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.#timestamps[mid]! < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Index of the first event with timestamp > t. */
  firstAfter (t: number): number {
    let lo = 0
    let hi = this.#length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.#timestamps[mid]! <= t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * Stores input[start..end), already sorted. Batches usually arrive in time order and are written
   * at the end; a batch older than the end (parallel puts) is merged with the tail it overlaps,
   * stored events first on equal timestamps, so ties keep their arrival order.
   */
  append (input: readonly InputLogEvent[], start: number, end: number, ingestionTime: number,
    entity?: StoredEntity): void {
    const count = end - start
    if (count <= 0) return
    const parts = new Array<string>(count)
    for (let i = 0; i < count; i++) parts[i] = input[start + i]!.message
    const chunk = this.#chunks.length
    this.#chunks.push(parts.join(''))
    this.#ingestionTimes.push(ingestionTime)
    this.#entities.push(entity)
    this.#reserve(this.#length + count)

    let at = this.#length
    const first = input[start]!.timestamp
    let tail: { timestamps: Float64Array, chunkOf: Uint32Array, start: Uint32Array, end: Uint32Array } | undefined
    if (at > 0 && this.#timestamps[at - 1]! > first) {
      at = this.firstAfter(first)
      tail = {
        timestamps: this.#timestamps.slice(at, this.#length),
        chunkOf: this.#chunkOf.slice(at, this.#length),
        start: this.#start.slice(at, this.#length),
        end: this.#end.slice(at, this.#length)
      }
    }
    let t = 0
    const moveTail = (): void => {
      this.#timestamps[at] = tail!.timestamps[t]!
      this.#chunkOf[at] = tail!.chunkOf[t]!
      this.#start[at] = tail!.start[t]!
      this.#end[at] = tail!.end[t]!
      at++
      t++
    }
    let offset = 0
    for (let i = start; i < end; i++) {
      const { timestamp, message } = input[i]!
      if (tail !== undefined) while (t < tail.timestamps.length && tail.timestamps[t]! <= timestamp) moveTail()
      this.#timestamps[at] = timestamp
      this.#chunkOf[at] = chunk
      this.#start[at] = offset
      offset += message.length
      this.#end[at] = offset
      at++
    }
    if (tail !== undefined) while (t < tail.timestamps.length) moveTail()
    this.#length += count
  }

  #reserve (needed: number): void {
    if (needed <= this.#timestamps.length) return
    let capacity = this.#timestamps.length
    while (capacity < needed) capacity *= 2
    const grow = <T extends Float64Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity)
      next.set(old.subarray(0, this.#length))
      return next
    }
    this.#timestamps = grow(this.#timestamps, (n) => new Float64Array(n))
    this.#chunkOf = grow(this.#chunkOf, (n) => new Uint32Array(n))
    this.#start = grow(this.#start, (n) => new Uint32Array(n))
    this.#end = grow(this.#end, (n) => new Uint32Array(n))
  }
}
