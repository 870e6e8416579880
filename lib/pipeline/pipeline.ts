import { BatchPacker } from './batch-packer.js'
import type { Batch, Outcome, Sender, Target } from './batch.js'
import { EVENTS, plural, type Reporter } from '../diagnostics.js'
import { DropLedger } from './drop-ledger.js'
import type { ResolvedOptions } from '../options.js'
import { memoryOf, SendQueue } from './send-queue.js'
import type { Spool } from './spool.js'
import { TimestampReader } from './timestamp.js'
import { KeepAlive } from './keep-alive.js'
import { isBlank } from './line-splitter.js'
import { startMetrics } from '../metrics/start.js'
import type { EmfWriter } from '../metrics/emf-writer.js'

/** What close() could do before its deadline. */
export interface CloseResult { delivered: number, undelivered: number, dropped: number, rejected: number }

export type PipelineOptions = Pick<ResolvedOptions, 'logGroupName' | 'logStreamName' | 'bufferDuration' | 'idleFlush' |
'batchCount' | 'batchSize' | 'oversizeEvents' | 'retentionInDays' | 'timestampKey' | 'maxBufferSize' | 'overflow' |
'closeTimeout' | 'spoolDir' | 'metrics' | 'logGroupClass'>

/** How often a waiting input looks whether calls have started to fail. */
const HEALTH_CHECK_MS = 50

/**
 * The one pipeline behind the worker transport and the CLI: lines in, batches to the send queue. It owns the packer,
 * the timer that bounds how long an event waits, and flush/close. `write` is synchronous and never waits, so pino's
 * thread never piles up.
 */
export class Pipeline {
  readonly #opts: PipelineOptions
  readonly #report: Reporter
  readonly #packer: BatchPacker
  readonly #timestamps: TimestampReader
  readonly #queue: SendQueue
  readonly #target: Target
  readonly #drops: DropLedger
  readonly #sender: Sender
  /** Adds `_aws` to lines holding metric fields; undefined without `metrics`, so other lines pay nothing. */
  readonly #metrics: EmfWriter | undefined
  /** Waiting for delivery (flush, close, a blocked reader) holds the process; nothing else does. */
  readonly #keepAlive = new KeepAlive()
  #timer: NodeJS.Timeout | undefined
  /** When the last line came in: the open batch goes out once input has been quiet for idleFlush. */
  #lastInput = 0
  #closing = false
  #reportedStats = { split: 0, truncated: 0, adjusted: 0 }
  #onDrain: (() => void) | undefined
  #healthWatch: NodeJS.Timeout | undefined
  readonly totals = { delivered: 0, rejected: 0 }

  constructor (opts: PipelineOptions, sender: Sender, report: Reporter, spool?: Spool) {
    this.#opts = opts
    this.#report = report
    this.#sender = sender
    this.#drops = new DropLedger(report)
    this.#target = { logGroupName: opts.logGroupName, logStreamName: opts.logStreamName }
    this.#timestamps = new TimestampReader(opts.timestampKey)
    this.#metrics = startMetrics(opts, report)
    this.#queue = new SendQueue(opts, sender, {
      dropped: events => this.#drops.drop(events,
        'the buffer was full (maxBufferSize) while CloudWatch did not keep up; oldest events dropped'),
      delivered: (batch, out) => this.#delivered(batch, out),
      drained: () => this.#drained()
    }, spool)
    this.#packer = new BatchPacker({
      maxCount: opts.batchCount,
      maxBytes: opts.batchSize,
      oversize: opts.oversizeEvents,
      retentionInDays: opts.retentionInDays
    }, batch => this.#sealed(batch))
    // What a previous run left on disk goes first, to the stream it was meant for.
    for (const left of spool?.leftovers() ?? []) this.#queue.pushLeftover(left.file, left.target, left.count)
  }

  /** The stream the pipeline writes to. */
  get target (): Target { return this.#target }

  /** Memory held by events not yet acknowledged (their bytes plus a per-event estimate). */
  get bufferedBytes (): number { return this.#queue.memory + memoryOf(this.#packer.bytes, this.#packer.length) }

  /** True while the buffer is over maxBufferSize. */
  get full (): boolean { return this.bufferedBytes >= this.#opts.maxBufferSize }

  /**
   * True while the input should stop: the buffer is full and either the policy is `block`, or calls are succeeding,
   * so what is buffered will be delivered and dropping it would lose lines for no reason (a burst faster than the
   * endpoint). Only while calls fail does the overflow policy drop.
   */
  get mustWait (): boolean { return this.full && (this.#opts.overflow === 'block' || this.#sender.healthy) }

  /** Called once the input may go on (see mustWait); the process stays alive until then. */
  onDrain (fn: () => void): void {
    this.#onDrain = fn
    this.#keepAlive.hold()
    this.#watchHealth()
    this.#drained()
  }

  /**
   * Takes one line (without its newline), received at `now`. Empty lines and lines of whitespace alone (Unicode's
   * too) are skipped: the service refuses empty messages, and a blank one says nothing.
   */
  write (line: string, now: number = Date.now()): void {
    if (this.#closing) return
    if (isBlank(line)) return
    const timestamp = this.#timestamps.read(line) ?? now
    if (this.#metrics !== undefined) line = this.#metrics.write(line, timestamp, now)
    if (this.#opts.overflow === 'drop-newest' && this.full && !this.#sender.healthy) {
      this.#drops.drop([{ timestamp, message: line }], 'the buffer was full (maxBufferSize); newest events dropped')
      return
    }
    this.#packer.add(timestamp, line, now)
    this.#lastInput = now
    // Under `block`, spooled batches make room before the reader is told to wait.
    if (this.#opts.spoolDir !== undefined && this.#opts.overflow === 'block' && this.full) this.#enforceBound()
    if (this.#timer === undefined && this.#packer.length > 0) this.#arm(now)
  }

  /** Resolves once every line written before the call is acknowledged by CloudWatch (or set aside and reported). */
  flush (): Promise<void> {
    this.#packer.seal()
    return this.#keepAlive.during(this.#queue.settled())
  }

  /**
   * Sends everything still buffered and gives up at closeTimeout. What could not be delivered is counted on stderr
   * (and stays in the spool, when there is one).
   */
  async close (): Promise<CloseResult> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#packer.seal()
    this.#closing = true
    const undelivered = await this.#keepAlive.during(this.#queue.close(this.#opts.closeTimeout))
    if (undelivered > 0) {
      const where = this.#opts.spoolDir !== undefined
        ? `; they stay in ${this.#opts.spoolDir} and are sent at the next start`
        : ''
      this.#report(EVENTS.undelivered, {
        message: `${plural(undelivered, 'event')} not delivered within closeTimeout ` +
          `(${this.#opts.closeTimeout} ms)${where}`,
        count: undelivered,
        reason: 'closeTimeout'
      })
    }
    const open = this.#drops.open
    if (open) {
      this.#report(EVENTS.dropped, { message: `${plural(open.count, 'event')} dropped: ${open.reason}`, ...open })
    }
    return { delivered: this.totals.delivered, undelivered, dropped: this.#drops.total, rejected: this.totals.rejected }
  }

  /**
   * The open batch goes out when its oldest event has waited bufferDuration, or when no line came in for idleFlush:
   * lines never sit in memory while the app is quiet (a worker terminated without a close would lose them).
   */
  #arm (now: number): void {
    const { bufferDuration, idleFlush } = this.#opts
    const byAge = this.#packer.openedAt + bufferDuration
    const due = idleFlush > 0 ? Math.min(byAge, this.#lastInput + idleFlush) : byAge
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const at = Date.now()
      if (this.#packer.length === 0) return
      const quiet = idleFlush > 0 && at - this.#lastInput >= idleFlush
      if (quiet || at - this.#packer.openedAt >= bufferDuration) this.#packer.seal()
      if (this.#packer.length > 0) this.#arm(at)
    }, Math.max(0, due - now))
    // Never the reason a process stays alive: exit paths flush through close().
    this.#timer.unref()
  }

  #sealed (batch: Batch): void {
    this.#queue.push(batch, this.#target)
    this.#enforceBound()
    this.#reportStats()
  }

  #enforceBound (): void {
    if (this.#opts.overflow === 'drop-oldest' || this.#opts.spoolDir !== undefined) {
      this.#queue.enforce(memoryOf(this.#packer.bytes, this.#packer.length))
    }
  }

  #delivered (batch: Batch, out: Outcome): void {
    this.totals.delivered += out.delivered
    this.totals.rejected += out.rejected
    if (out.delivered > 0) {
      this.#drops.delivered(batch.events)
      if (!this.#closing) this.#summariseDrops()
    }
  }

  #drained (): void {
    if (this.#onDrain && !this.mustWait) {
      const fn = this.#onDrain
      this.#onDrain = undefined
      clearInterval(this.#healthWatch)
      this.#keepAlive.release()
      fn()
    }
  }

  /** A waiting input goes on when calls start failing too: the overflow policy takes over from waiting then. */
  #watchHealth (): void {
    clearInterval(this.#healthWatch)
    this.#healthWatch = setInterval(() => this.#drained(), HEALTH_CHECK_MS)
    this.#healthWatch.unref()
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
      this.#report(EVENTS.oversize, {
        message: `events over the per-event limit: ${s.split - r.split} split into parts, ` +
          `${s.truncated - r.truncated} truncated`,
        split: s.split - r.split,
        truncated: s.truncated - r.truncated
      })
    }
    if (s.adjusted !== r.adjusted) {
      const n = s.adjusted - r.adjusted
      this.#report(EVENTS.timestampAdjusted, {
        message: `${plural(n, 'event')} had timestamps the service would drop (over 14 days old or 2 h ahead); ` +
          'sent with adjusted timestamps',
        count: n
      })
    }
    this.#reportedStats = { ...s }
  }
}
