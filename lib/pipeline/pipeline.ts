import { BatchPacker } from './batch-packer.js'
import type { Batch, Outcome, Sender, Target } from './batch.js'
import { EVENTS, plural, type Reporter } from '../diagnostics.js'
import { DropLedger } from './drop-ledger.js'
import type { ResolvedOptions } from '../options.js'
import { SendQueue } from './send-queue.js'
import { bodyFrame } from './encoded-batch.js'
import type { Spool } from './spool.js'
import { TimestampReader } from './timestamp.js'
import { KeepAlive } from './keep-alive.js'
import { isBlank } from './line-splitter.js'
import { startMetrics } from '../metrics/start.js'
import type { EmfWriter } from '../metrics/emf-writer.js'
import { Router } from './router.js'
import type { LevelLabels } from './level-labels.js'

/** What close() could do before its deadline. */
export interface CloseResult { delivered: number, undelivered: number, dropped: number, rejected: number }

export type PipelineOptions = Pick<ResolvedOptions, 'names' | 'bufferDuration' | 'idleFlush' | 'batchCount' |
'batchSize' | 'oversizeEvents' | 'retentionInDays' | 'timestampKey' | 'maxBufferSize' | 'overflow' | 'closeTimeout' |
'spoolDir' | 'metrics' | 'logGroupClass' | 'maxDestinations' | 'levelLabels' | 'entity'>

/** How often a waiting input looks whether calls have started to fail. */
const HEALTH_CHECK_MS = 50

/** A destination without a line for this long, and nothing in its open batch, no longer counts toward the cap. */
export const DESTINATION_IDLE_MS = 60_000

/** One destination's open batch. */
interface Lane {
  target: Target
  packer: BatchPacker
  /** When its last line came in. */
  lastLine: number
  /** The open batch's memory as last counted into the pipeline's total. */
  memory: number
  /** The packer's counts as last reported. */
  reported: { split: number, truncated: number, adjusted: number }
}

/** How often, at most, destinations are looked over for idle ones when the cap is reached. */
const SWEEP_INTERVAL_MS = 1000

/**
 * The one pipeline behind the worker transport and the CLI: lines in, batches to the send queue. It owns the router,
 * a packer per destination (one, unless the names route by record), the timer that bounds how long an event waits,
 * and flush/close. `write` is synchronous and never waits, so pino's thread never piles up.
 */
export class Pipeline {
  readonly #opts: PipelineOptions
  readonly #report: Reporter
  readonly #router: Router
  /** Open batches by destination (the router's Target objects). */
  readonly #lanes = new Map<Target, Lane>()
  /** The lane of the one destination, when the names read nothing from lines. */
  readonly #single: Lane | undefined
  readonly #timestamps: TimestampReader
  readonly #queue: SendQueue
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
  /** Memory of every open batch, kept up to date as lanes change (never summed over the lanes on the hot path). */
  #openMemory = 0
  #lastSweep = -Infinity
  #onDrain: (() => void) | undefined
  #healthWatch: NodeJS.Timeout | undefined
  readonly totals = { delivered: 0, rejected: 0 }

  constructor (opts: PipelineOptions, sender: Sender, report: Reporter, spool?: Spool) {
    this.#opts = opts
    this.#report = report
    this.#sender = sender
    this.#drops = new DropLedger(report)
    this.#router = new Router(opts.names.group, opts.names.stream, opts.maxDestinations, report, opts.levelLabels,
      () => this.#forgetIdle())
    this.#timestamps = new TimestampReader(opts.timestampKey)
    this.#metrics = startMetrics(opts, report)
    this.#queue = new SendQueue(opts, sender, {
      dropped: batch => this.#drops.drop(batch,
        'the buffer was full (maxBufferSize) while CloudWatch did not keep up; oldest events dropped'),
      delivered: (batch, out) => this.#delivered(batch, out),
      drained: () => this.#drained()
    }, spool)
    const fixed = this.#router.fixed
    this.#single = fixed === undefined ? undefined : this.#lane(fixed, 0)
    // What a previous run left on disk goes first, to the stream it was meant for.
    for (const left of spool?.leftovers() ?? []) this.#queue.pushLeftover(left.file, left.target, left.count)
  }

  /** The stream the pipeline writes to; with names that route by record, where lines go when they cannot. */
  get target (): Target { return this.#router.fixed ?? this.#router.fallback }

  /** Destinations with an open batch or a recent line. */
  get destinations (): number { return this.#lanes.size }

  /** Labels for `{level}`, once pino has said what its levels are. */
  setLevelLabels (labels: LevelLabels): void { this.#router.setLabels(labels) }

  /** Memory held by events not yet acknowledged: the bytes of sealed batches, and an estimate for open ones. */
  get bufferedBytes (): number { return this.#queue.memory + this.#openMemory }

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
    this.#lastInput = now
    // Routed on the line as logged, before metrics add their block.
    let lane = this.#single
    if (lane === undefined) {
      const target = this.#router.route(line)
      lane = this.#lanes.get(target) ?? this.#lane(target, now)
    }
    if (this.#metrics !== undefined) line = this.#metrics.write(line, timestamp, now)
    if (this.#opts.overflow === 'drop-newest' && this.full && !this.#sender.healthy) {
      this.#drops.dropLine(timestamp, line, 'the buffer was full (maxBufferSize); newest events dropped')
      return
    }
    lane.packer.add(timestamp, line, now)
    this.#recount(lane)
    lane.lastLine = now
    // Open batches of many destinations could fill the bound by themselves, with nothing queued whose delivery
    // would make room: past a third of it they go to the queue, where calls drain them.
    if (this.#single === undefined && this.#openMemory > this.#opts.maxBufferSize / 3) this.#sealAll()
    // Under `block`, spooled batches make room before the reader is told to wait.
    if (this.#opts.spoolDir !== undefined && this.#opts.overflow === 'block' && this.full) this.#enforceBound()
    if (this.#timer === undefined && lane.packer.length > 0) this.#arm(now)
  }

  /** Resolves once every line written before the call is acknowledged by CloudWatch (or set aside and reported). */
  flush (): Promise<void> {
    this.#sealAll()
    return this.#keepAlive.during(this.#queue.settled())
  }

  /**
   * Sends everything still buffered and gives up at closeTimeout. What could not be delivered is counted on stderr
   * (and stays in the spool, when there is one).
   */
  async close (): Promise<CloseResult> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#sealAll()
    this.#router.finish()
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

  /** A destination's open batch: made on its first line. */
  #lane (target: Target, now: number): Lane {
    const lane: Lane = {
      target,
      lastLine: now,
      memory: 0,
      reported: { split: 0, truncated: 0, adjusted: 0 },
      packer: new BatchPacker({
        maxCount: this.#opts.batchCount,
        maxBytes: this.#opts.batchSize,
        oversize: this.#opts.oversizeEvents,
        retentionInDays: this.#opts.retentionInDays,
        frame: bodyFrame(target, this.#opts.entity)
      }, batch => this.#sealed(batch, lane))
    }
    this.#lanes.set(target, lane)
    return lane
  }

  /** Brings the total of open memory up to date with one lane's open batch. */
  #recount (lane: Lane): void {
    const memory = lane.packer.memory
    this.#openMemory += memory - lane.memory
    lane.memory = memory
  }

  #seal (lane: Lane): void {
    lane.packer.seal()
    this.#recount(lane)
  }

  /**
   * Called by the router when its cap is reached: destinations without a line for DESTINATION_IDLE_MS send what
   * they hold and are forgotten, making room for new ones. At most once a second: lines past the cap keep coming.
   */
  #forgetIdle (): void {
    // The time of the line being routed (write() has recorded it).
    const now = this.#lastInput
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return
    this.#lastSweep = now
    for (const lane of this.#lanes.values()) {
      if (lane === this.#single || now - lane.lastLine < DESTINATION_IDLE_MS) continue
      this.#seal(lane)
      this.#lanes.delete(lane.target)
      this.#router.forget(lane.target)
    }
  }

  #sealAll (): void {
    for (const lane of this.#lanes.values()) this.#seal(lane)
  }

  /**
   * An open batch goes out when its oldest event has waited bufferDuration, or when no line came in for idleFlush:
   * lines never sit in memory while the app is quiet (a worker terminated without a close would lose them). One
   * timer serves every destination.
   */
  #arm (now: number): void {
    const { bufferDuration, idleFlush } = this.#opts
    let oldest = Infinity
    for (const lane of this.#lanes.values()) if (lane.packer.length > 0) oldest = Math.min(oldest, lane.packer.openedAt)
    if (oldest === Infinity) return
    const byAge = oldest + bufferDuration
    const due = idleFlush > 0 ? Math.min(byAge, this.#lastInput + idleFlush) : byAge
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const at = Date.now()
      const quiet = idleFlush > 0 && at - this.#lastInput >= idleFlush
      for (const lane of this.#lanes.values()) {
        if (lane.packer.length > 0 && (quiet || at - lane.packer.openedAt >= bufferDuration)) this.#seal(lane)
      }
      this.#arm(at)
    }, Math.max(0, due - now))
    // Never the reason a process stays alive: exit paths flush through close().
    this.#timer.unref()
  }

  #sealed (batch: Batch, lane: Lane): void {
    // The packer has handed the batch over: what stays open is counted now, before the bound is looked at.
    this.#recount(lane)
    this.#queue.push(batch, lane.target)
    this.#enforceBound()
    this.#reportStats(lane)
  }

  #enforceBound (): void {
    if (this.#opts.overflow === 'drop-oldest' || this.#opts.spoolDir !== undefined) {
      this.#queue.enforce(this.#openMemory)
    }
  }

  #delivered (batch: Batch, out: Outcome): void {
    this.totals.delivered += out.delivered
    this.totals.rejected += out.rejected
    if (out.delivered > 0) {
      this.#drops.delivered(batch)
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
    const target = this.#router.fixed ?? this.#router.fallback
    const lane = this.#lanes.get(target) ?? this.#lane(target, now)
    lane.packer.add(now, line, now)
    this.#recount(lane)
    if (this.#timer === undefined) this.#arm(now)
  }

  /** Reports what one destination's packer did since its last report (it counts as it adds; it reports on seal). */
  #reportStats (lane: Lane): void {
    const s = lane.packer.stats
    const r = lane.reported
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
    lane.reported = { ...s }
  }
}
