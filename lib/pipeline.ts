import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { BatchPacker, type Batch } from './batch-packer.js'
import { EVENTS, type Reporter } from './diagnostics.js'
import { DropLedger } from './drop-ledger.js'
import type { ResolvedOptions } from './options.js'
import type { Spool } from './spool.js'
import { TimestampReader } from './timestamp.js'
import { Uploader, type Target } from './uploader.js'

/** A batch on its way: in memory, or (spooled and evicted) only on disk. */
interface Entry {
  id: number
  target: Target
  batch: Batch | undefined
  /** Memory it holds: its bytes as the service counts them, plus the objects around each event. */
  memory: number
  count: number
  spoolFile: string | undefined
  /** Timestamp range of the batch (-Infinity/Infinity when unknown: it then never overlaps a send). */
  first: number
  last: number
}

/**
 * Each buffered event also costs an object and a string header besides its text (measured at
 * 70-100 bytes in V8): counted too, so maxBufferSize bounds memory, not just payload.
 */
const EVENT_MEMORY = 80

function memoryOf (bytes: number, count: number): number {
  return bytes + count * EVENT_MEMORY
}

/** What close() could do before its deadline. */
export interface CloseResult { delivered: number, undelivered: number, dropped: number, rejected: number }

/**
 * The one pipeline behind the worker transport and the CLI: lines in, batches out to CloudWatch.
 * It owns the packer, the timer that bounds how long an event waits, the queue and its memory
 * bound, and flush/close. `write` is synchronous and never waits: pino's thread never piles up.
 */
export class Pipeline {
  readonly #opts: ResolvedOptions
  readonly #report: Reporter
  readonly #uploader: Uploader
  readonly #packer: BatchPacker
  readonly #timestamps: TimestampReader
  readonly #spool: Spool | undefined
  readonly #target: Target
  readonly #queue: Entry[] = []
  readonly #unsettled = new Set<number>()
  readonly #waiters: Array<{ upTo: number, resolve: () => void }> = []
  readonly #closer = new AbortController()
  #inFlight = 0
  /** Latest timestamp among the batches being sent. */
  #inFlightLast = -Infinity
  #nextId = 0
  #bufferedBytes = 0
  #timer: NodeJS.Timeout | undefined
  #closing = false
  readonly #drops: DropLedger
  #reportedStats = { split: 0, truncated: 0, adjusted: 0 }
  #onDrain: (() => void) | undefined
  #abortedEvents = 0
  #inFlightDone: (() => void) | undefined
  readonly totals = { delivered: 0, rejected: 0 }

  constructor (opts: ResolvedOptions, client: CloudWatchLogsClient, report: Reporter, spool?: Spool) {
    this.#opts = opts
    this.#report = report
    this.#drops = new DropLedger(report)
    this.#spool = spool
    this.#target = { logGroupName: opts.logGroupName, logStreamName: opts.logStreamName }
    this.#timestamps = new TimestampReader(opts.timestampKey)
    this.#uploader = new Uploader(client, opts, report)
    this.#packer = new BatchPacker({
      maxCount: opts.batchCount, maxBytes: opts.batchSize, oversize: opts.oversizeEvents, retentionInDays: opts.retentionInDays
    }, batch => this.#enqueue(batch, this.#target))
    if (spool) {
      // What a previous run left on disk goes first, to the stream it was meant for.
      for (const left of spool.leftovers()) {
        this.#push({ id: this.#nextId++, target: left.target, batch: undefined, memory: memoryOf(left.bytes, left.count), count: left.count, spoolFile: left.file, first: -Infinity, last: Infinity })
      }
      this.#pump()
    }
  }

  /** The stream the pipeline writes to. */
  get target (): Target { return this.#target }

  /** Memory held by events not yet acknowledged (their bytes plus a per-event estimate). */
  get bufferedBytes (): number { return this.#bufferedBytes + memoryOf(this.#packer.bytes, this.#packer.length) }

  /** True while the buffer is over maxBufferSize (the CLI's `block` policy stops reading then). */
  get full (): boolean { return this.bufferedBytes >= this.#opts.maxBufferSize }

  /** Called once when the buffer is no longer full. */
  onDrain (fn: () => void): void { this.#onDrain = fn }

  /**
   * Takes one line (without its newline), received at `now`. Empty and blank lines are skipped:
   * the service refuses them.
   */
  write (line: string, now: number = Date.now()): void {
    if (this.#closing) return
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return
    const timestamp = this.#timestamps.read(line) ?? now
    if (this.#opts.overflow === 'drop-newest' && this.full) {
      this.#drops.drop([{ timestamp, message: line }], 'the buffer was full (maxBufferSize); newest events dropped')
      return
    }
    this.#packer.add(timestamp, line, now)
    // Under `block`, spooled batches make room before the reader is told to wait.
    if (this.#spool && this.#opts.overflow === 'block' && this.full) this.#enforceBound()
    if (this.#timer === undefined && this.#packer.length > 0) this.#arm(now)
  }

  /** Resolves once every line written before the call is acknowledged by CloudWatch (or set aside and reported). */
  flush (): Promise<void> {
    this.#packer.seal()
    const upTo = this.#nextId
    if (this.#settledBelow(upTo)) return Promise.resolve()
    return new Promise(resolve => this.#waiters.push({ upTo, resolve }))
  }

  /**
   * Sends everything still buffered, in parallel where it helps, and gives up at closeTimeout.
   * What could not be delivered is counted on stderr (and stays in the spool, when there is one).
   */
  async close (): Promise<CloseResult> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#packer.seal()
    this.#closing = true
    const deadline = setTimeout(() => this.#closer.abort(), this.#opts.closeTimeout)
    this.#pump()
    await new Promise<void>(resolve => {
      if (this.#settledBelow(this.#nextId)) return resolve()
      this.#waiters.push({ upTo: this.#nextId, resolve })
      this.#closer.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    clearTimeout(deadline)
    // Sends aborted by the deadline settle on their own; count what is left without waiting.
    let undelivered = 0
    for (const entry of this.#queue) undelivered += entry.count
    this.#closer.abort()
    if (this.#inFlight > 0) {
      // Aborted sends end within a few ticks; do not let a stuck socket hold the exit.
      await new Promise<void>(resolve => {
        this.#inFlightDone = resolve
        setTimeout(resolve, 500).unref()
      })
    }
    undelivered += this.#abortedEvents
    if (undelivered > 0) {
      const where = this.#spool ? `; they stay in ${this.#opts.spoolDir} and are sent at the next start` : ''
      this.#report(EVENTS.undelivered, { message: `${undelivered} events not delivered within closeTimeout (${this.#opts.closeTimeout} ms)${where}`, count: undelivered, reason: 'closeTimeout' })
    }
    const open = this.#drops.open
    if (open) this.#report(EVENTS.dropped, { message: `${open.count} events were dropped: ${open.reason}`, ...open })
    return { delivered: this.totals.delivered, undelivered, dropped: this.#drops.total, rejected: this.totals.rejected }
  }

  #arm (now: number): void {
    const wait = Math.max(0, this.#packer.openedAt + this.#opts.bufferDuration - now)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const at = Date.now()
      if (this.#packer.length > 0 && at - this.#packer.openedAt >= this.#opts.bufferDuration) {
        this.#packer.seal()
      }
      if (this.#packer.length > 0) this.#arm(at)
    }, wait)
    // Never the reason a process stays alive: exit paths flush through close().
    this.#timer.unref()
  }

  #enqueue (batch: Batch, target: Target): void {
    const spoolFile = this.#spool?.save(batch, target)
    const events = batch.events
    this.#push({ id: this.#nextId++, target, batch, memory: memoryOf(batch.bytes, events.length), count: events.length, spoolFile, first: events[0]!.timestamp, last: events[events.length - 1]!.timestamp })
    this.#reportStats()
    this.#pump()
  }

  #push (entry: Entry): void {
    this.#queue.push(entry)
    this.#unsettled.add(entry.id)
    if (entry.batch) this.#bufferedBytes += entry.memory
    this.#enforceBound()
  }

  /**
   * Keeps memory under maxBufferSize: spooled batches leave memory, others are dropped (oldest
   * first), except under `block`, where the reader waits for onDrain instead and nothing is dropped.
   */
  #enforceBound (): void {
    if (this.#opts.overflow !== 'drop-oldest' && !this.#spool) return
    const over = this.#opts.overflow === 'block' ? () => this.full : () => this.bufferedBytes > this.#opts.maxBufferSize
    for (let i = 0; i < this.#queue.length && over(); i++) {
      const entry = this.#queue[i]!
      if (!entry.batch) continue
      if (entry.spoolFile) {
        this.#bufferedBytes -= entry.memory
        entry.batch = undefined
        continue
      }
      if (this.#opts.overflow === 'block') continue
      this.#bufferedBytes -= entry.memory
      this.#drops.drop(entry.batch.events, 'the buffer was full (maxBufferSize) while CloudWatch did not keep up; oldest events dropped')
      this.#queue.splice(i--, 1)
      this.#settle(entry.id)
    }
    // Batches that moved to disk free memory without a send settling: a blocked reader may go on.
    this.#drained()
  }

  #pump (): void {
    const limit = this.#closing ? Math.max(this.#opts.maxConcurrentPuts, 4) : this.#opts.maxConcurrentPuts
    while (this.#inFlight < limit && this.#queue.length > 0 && !this.#closer.signal.aborted) {
      // CloudWatch orders a stream by timestamp, equal ones by arrival: a batch goes out beside
      // others only when all its events are later than theirs, so the stored order is the logged one.
      if (this.#inFlight > 0 && !(this.#queue[0]!.first > this.#inFlightLast)) break
      const entry = this.#queue.shift()!
      this.#inFlightLast = this.#inFlight === 0 ? entry.last : Math.max(this.#inFlightLast, entry.last)
      this.#inFlight++
      this.#sendEntry(entry).finally(() => {
        this.#inFlight--
        this.#settle(entry.id)
        if (this.#inFlight === 0) this.#inFlightDone?.()
        this.#pump()
      })
    }
  }

  async #sendEntry (entry: Entry): Promise<void> {
    let batch = entry.batch
    if (!batch) {
      batch = this.#spool?.read(entry.spoolFile!)
      if (!batch) return // unreadable: the spool has reported it
    } else {
      this.#bufferedBytes -= entry.memory
    }
    const out = await this.#uploader.send(batch, entry.target, this.#closer.signal)
    this.totals.delivered += out.delivered
    this.totals.rejected += out.rejected
    this.#abortedEvents += out.undelivered
    if (out.undelivered === 0 && entry.spoolFile) this.#spool?.remove(entry.spoolFile)
    if (out.delivered > 0) {
      this.#drops.delivered(batch.events)
      if (!this.#closing) this.#summariseDrops()
    }
  }

  #settle (id: number): void {
    this.#unsettled.delete(id)
    for (let i = 0; i < this.#waiters.length; i++) {
      const waiter = this.#waiters[i]!
      if (this.#settledBelow(waiter.upTo)) {
        this.#waiters.splice(i--, 1)
        waiter.resolve()
      }
    }
    this.#drained()
  }

  #drained (): void {
    if (this.#onDrain && !this.full) {
      const fn = this.#onDrain
      this.#onDrain = undefined
      fn()
    }
  }

  #settledBelow (upTo: number): boolean {
    for (const id of this.#unsettled) if (id < upTo) return false
    return true
  }

  /** Delivery works again: one event in the stream itself says what is missing from it. */
  #summariseDrops (): void {
    const now = Date.now()
    const line = this.#drops.summary(now)
    if (line === undefined) return
    this.#packer.add(now, line, now)
    if (this.#timer === undefined) this.#arm(now)
  }

  #reportStats (): void {
    const s = this.#packer.stats
    const r = this.#reportedStats
    if (s.split !== r.split || s.truncated !== r.truncated) {
      this.#report(EVENTS.oversize, { message: `events over the per-event limit: ${s.split - r.split} split into parts, ${s.truncated - r.truncated} truncated`, split: s.split - r.split, truncated: s.truncated - r.truncated })
    }
    if (s.adjusted !== r.adjusted) {
      this.#report(EVENTS.timestampAdjusted, { message: `${s.adjusted - r.adjusted} events had timestamps the service would drop (over 14 days old or 2 h ahead); sent with adjusted timestamps`, count: s.adjusted - r.adjusted })
    }
    this.#reportedStats = { ...s }
  }
}
