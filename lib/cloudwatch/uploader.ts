import {
  PutLogEventsCommand, type CloudWatchLogsClient, type Entity, type PutLogEventsCommandOutput
} from '@aws-sdk/client-cloudwatch-logs'
import { targetKey, type Batch, type Outcome, type SendBudget, type Sender, type Target } from '../pipeline/batch.js'
import { decodeEvents, encodeBatch, retimed } from '../pipeline/encoded-batch.js'
import { backoffDelay, sleep } from './backoff.js'
import { Concurrency } from './concurrency.js'
import { withDeadline } from './deadline.js'
import { EVENTS, plural, type Reporter } from '../diagnostics.js'
import { classify, describe, httpStatus, type Failure } from './errors.js'
import { Destinations, type DestinationOptions } from './destinations.js'
import { LIMITS } from './limits.js'
import { splitMessage } from '../pipeline/oversize.js'
import { RateLimiter } from './rate-limiter.js'
import { putLogEventsBody, putLogEventsCommand } from './request-body.js'
import { acceptedWindow, SEND_MARGIN_MS } from './time-window.js'

export interface UploaderOptions extends DestinationOptions {
  entity: Entity | undefined
  maxPutsPerSecond: number
  maxConcurrentPuts: number
  requestTimeout: number
  retryBaseDelay: number
  retryMaxDelay: number
}

/** Events the service took but did not store, from rejectedLogEventsInfo (indexes read tolerantly). */
function countRejected (info: PutLogEventsCommandOutput['rejectedLogEventsInfo'], total: number): number {
  if (!info) return 0
  const old = Math.max(info.tooOldLogEventEndIndex ?? -1, info.expiredLogEventEndIndex ?? -1)
  const fromNew = info.tooNewLogEventStartIndex
  return Math.min(total, (old >= 0 ? old + 1 : 0) + (fromNew !== undefined && fromNew >= 0 ? total - fromNew : 0))
}

/** Events of the old per-event limit: some regions, endpoints or proxies may still refuse larger ones. */
const LEGACY_EVENT_BYTES = 262_144 - LIMITS.eventOverhead

/** The shortest attempt worth making while closing; below it the batch is left for the spool or the count. */
const MIN_ATTEMPT_MS = 250

const add = (a: Outcome, b: Outcome): Outcome => ({
  delivered: a.delivered + b.delivered,
  rejected: a.rejected + b.rejected,
  undelivered: a.undelivered + b.undelivered
})

/**
 * Sends batches with PutLogEvents until each is stored, refused for good, or the caller gives up. Every attempt has
 * its own deadline; failures that can pass are retried with backoff; refusals split the batch, never resend it as is.
 * How many calls go in flight is its `limit`, which adapts to how the service answers.
 */
export class Uploader implements Sender {
  readonly #client: CloudWatchLogsClient
  readonly #opts: UploaderOptions
  readonly #report: Reporter
  readonly #limiter: RateLimiter
  readonly #concurrency: Concurrency
  readonly #destinations: Destinations
  /** Sequence tokens, only for endpoints that still ask for them. */
  readonly #tokens = new Map<string, string>()
  #failingSince = 0
  /** The refusal of the last part of a cut event that was set aside, for the one report about the whole event. */
  #lastRefusal: unknown
  #attemptsFailed = 0
  /**
   * The body each batch was last sent with: a retry sends the same bytes without copying them again, unless an old
   * endpoint's sequence token changed (a batch whose timestamps had to move is a new batch).
   */
  readonly #bodies = new WeakMap<Batch, { body: Buffer, token: string | undefined }>()
  /** Entity error types already reported: the same entity goes with every call. */
  readonly #entityErrors = new Set<string>()

  constructor (client: CloudWatchLogsClient, opts: UploaderOptions, report: Reporter) {
    this.#client = client
    this.#opts = opts
    this.#report = report
    this.#limiter = new RateLimiter(opts.maxPutsPerSecond)
    this.#concurrency = new Concurrency(opts.maxConcurrentPuts)
    this.#destinations = new Destinations(client, opts, report, (err, kind) => this.#failed(err, 0, kind, 'create'))
  }

  /** Calls that may be in flight now. */
  get limit (): number { return this.#concurrency.limit }

  /** No call has failed since the last success. */
  get healthy (): boolean { return this.#attemptsFailed === 0 }

  /** Sends one batch until it is stored, refused for good, or the budget runs out. */
  async send (batch: Batch, target: Target, budget: SendBudget): Promise<Outcome> {
    return this.#send(batch, target, budget)
  }

  /** `part`: the events are parts of one cut event, whose refusal is reported once, by the caller. */
  async #send (batch: Batch, target: Target, budget: SendBudget, part = false): Promise<Outcome> {
    let attempt = 0
    let recreated = false
    while (!budget.signal.aborted) {
      const left = budget.left()
      if (left < MIN_ATTEMPT_MS) break
      // While closing, an attempt may use at most half the time left, so that a hung one still leaves room for a retry.
      const timeout = left === Infinity ? this.#opts.requestTimeout : Math.min(this.#opts.requestTimeout, left / 2)
      const token = this.#concurrency.start()
      try {
        if (this.#opts.createLogStream && !await this.#destinations.ensure(target, budget.signal, timeout)) {
          // Reported by the destinations; wait as after any failure.
          await this.#backoff(attempt++, 'transient', budget)
          continue
        }
        await this.#limiter.take(budget.signal)
        if (budget.signal.aborted) break
        batch = this.#inWindow(batch)
        const out = await this.#put(batch, target, budget.signal, timeout)
        this.#concurrency.succeeded()
        this.#succeeded()
        const rejected = countRejected(out.rejectedLogEventsInfo, batch.count)
        if (rejected > 0) {
          this.#report(EVENTS.rejected, {
            message: `the service did not store ${rejected} of ${plural(batch.count, 'event')} ` +
              `(outside its time window): ${JSON.stringify(out.rejectedLogEventsInfo)}`,
            count: rejected,
            reason: 'window'
          })
        }
        return { delivered: batch.count - rejected, rejected, undelivered: 0 }
      } catch (err) {
        if (budget.signal.aborted) break
        const kind = classify(err)
        if (kind === 'invalid' || kind === 'refused') return this.#split(batch, target, budget, err, kind, part)
        // The service no longer uses sequence tokens, but older emulators still demand them:
        // follow the token they expect, and take "already accepted" as the success it is.
        const legacy = err as { name?: string, expectedSequenceToken?: string }
        if (legacy.name === 'DataAlreadyAcceptedException') {
          return { delivered: batch.count, rejected: 0, undelivered: 0 }
        }
        if (legacy.name === 'InvalidSequenceTokenException' && legacy.expectedSequenceToken &&
            this.#tokens.get(targetKey(target)) !== legacy.expectedSequenceToken) {
          this.#tokens.set(targetKey(target), legacy.expectedSequenceToken)
          continue
        }
        if (kind === 'overload') this.#concurrency.overloaded(token)
        if ((kind === 'missing-group' || kind === 'missing-stream') && !recreated) {
          // Deleted while running, or never there: create it again and put at once; once per backoff round, so a
          // service that still says "missing" right after the creation (eventual consistency) cannot spin.
          recreated = true
          if (await this.#destinations.recreate(target, kind, budget.signal, timeout)) continue
        }
        this.#failed(err, attempt, kind, 'put', batch.count)
        await this.#backoff(attempt++, kind, budget)
        recreated = false
      }
    }
    return { delivered: 0, rejected: 0, undelivered: batch.count }
  }

  /** Waits before the next attempt; never past the point where that attempt would have no time left. */
  async #backoff (attempt: number, kind: Failure, budget: SendBudget): Promise<void> {
    const base = kind === 'denied' ? Math.max(this.#opts.retryBaseDelay, 1000) : this.#opts.retryBaseDelay
    const delay = backoffDelay(attempt, base, this.#opts.retryMaxDelay)
    await sleep(Math.min(delay, Math.max(0, budget.left() - MIN_ATTEMPT_MS)), budget.signal)
  }

  /** The batch, or a copy with the timestamps that waited past the accepted window moved back into it. */
  #inWindow (batch: Batch): Batch {
    const { batch: sent, moved } = retimed(batch,
      acceptedWindow(this.#serviceNow(), this.#opts.retentionInDays, SEND_MARGIN_MS))
    if (moved > 0) {
      this.#report(EVENTS.timestampAdjusted, {
        message: `${plural(moved, 'event')} waited past the accepted time window; sent with adjusted timestamps`,
        count: moved
      })
    }
    return sent
  }

  /** One PutLogEvents attempt, abandoned (and its connection destroyed by the SDK) at its deadline. */
  async #put (batch: Batch, target: Target, outer: AbortSignal, timeout: number): Promise<PutLogEventsCommandOutput> {
    const k = targetKey(target)
    const sequenceToken = this.#tokens.get(k)
    const entity = this.#opts.entity
    const cached = this.#bodies.get(batch)
    const body = cached !== undefined && cached.token === sequenceToken
      ? cached.body
      : putLogEventsBody(target, batch, sequenceToken, entity)
    this.#bodies.set(batch, { body, token: sequenceToken })
    const command = putLogEventsCommand(PutLogEventsCommand, target, batch, body, sequenceToken, entity)
    const out = await withDeadline(timeout, outer, abortSignal => this.#client.send(command, { abortSignal }))
    if (sequenceToken !== undefined && out.nextSequenceToken) this.#tokens.set(k, out.nextSequenceToken)
    const errorType = out.rejectedEntityInfo?.errorType
    if (errorType !== undefined && !this.#entityErrors.has(errorType)) {
      this.#entityErrors.add(errorType)
      this.#report(EVENTS.entityRejected, {
        message: `the service stored the events but not the entity sent with them (${errorType}); ` +
          'said once for this error type',
        errorType
      })
    }
    return out
  }

  /**
   * The batch was refused as a whole. Halve it until the refused event is alone, so everything else is delivered;
   * a lone refused event gets one more chance cut at the old 256 KB event limit, then is set aside and reported.
   * No request is ever sent again unchanged after a refusal.
   */
  async #split (batch: Batch, target: Target, budget: SendBudget, err: unknown, kind: Failure,
    part: boolean): Promise<Outcome> {
    const events = decodeEvents(batch)
    if (events.length > 1) {
      const half = events.length >>> 1
      const a = await this.#send(encodeBatch(events.slice(0, half), batch.openedAt), target, budget, part)
      return add(a, await this.#send(encodeBatch(events.slice(half), batch.openedAt), target, budget, part))
    }
    const event = events[0]!
    const size = Buffer.byteLength(event.message, 'utf8')
    let refusal = err
    let cut = ''
    if (!part && size > LEGACY_EVENT_BYTES) {
      const parts = splitMessage(event.message, LEGACY_EVENT_BYTES)
        .map(message => ({ timestamp: event.timestamp, message }))
      // Parts go one to a call: a part refused again is refused for good (a part is never cut again).
      const refused: unknown[] = []
      let out: Outcome = { delivered: 0, rejected: 0, undelivered: 0 }
      for (const p of parts) {
        const one = await this.#send(encodeBatch([p], batch.openedAt), target, budget, true)
        if (one.rejected > 0) refused.push(this.#lastRefusal)
        out = add(out, one)
      }
      if (out.rejected === 0) {
        return { delivered: out.delivered > 0 ? 1 : 0, rejected: 0, undelivered: out.undelivered > 0 ? 1 : 0 }
      }
      refusal = refused[0]
      cut = `, even cut in ${parts.length} parts (${out.rejected} of them refused)`
    } else if (part) {
      this.#lastRefusal = err
      return { delivered: 0, rejected: 1, undelivered: 0 }
    }
    const { code, message } = describe(refusal)
    const status = httpStatus(refusal)
    const why = status !== undefined && kind === 'refused'
      ? `HTTP ${status}, ${code}: ${message}`
      : `${code}: ${message}`
    this.#report(EVENTS.rejected, {
      message: `the service refused an event of ${size} bytes${cut} (${why}); it was set aside`,
      count: 1,
      reason: message,
      code,
      status
    })
    return { delivered: 0, rejected: 1, undelivered: 0 }
  }

  /**
   * The service's idea of now: the window it accepts is measured by its clock. The SDK learns how
   * far this machine's clock is off from the Date of every response (and signs with it too).
   */
  #serviceNow (): number {
    return Date.now() + (this.#client.config?.systemClockOffset ?? 0)
  }

  #succeeded (): void {
    if (this.#attemptsFailed > 0) {
      const failedFor = Date.now() - this.#failingSince
      this.#report(EVENTS.recovered, {
        message: `delivery works again after ${plural(this.#attemptsFailed, 'failed call')} over ${failedFor} ms`,
        failedFor,
        failures: this.#attemptsFailed
      })
      this.#attemptsFailed = 0
    }
  }

  #failed (err: unknown, attempt: number, kind: Failure, call: 'put' | 'create', events = 0): void {
    if (this.#attemptsFailed++ === 0) this.#failingSince = Date.now()
    const { code, message } = describe(err)
    const status = httpStatus(err)
    const hint = kind === 'denied'
      ? ' (check the credentials and that they allow logs:PutLogEvents and logs:CreateLogStream)'
      : kind === 'missing-group' || kind === 'missing-stream'
        ? ' (creation is off: create it, or set createLogGroup/createLogStream)'
        : ''
    const what = call === 'put' ? 'PutLogEvents' : 'creating the log group or stream'
    const http = status === undefined ? '' : ` (HTTP ${status})`
    this.#report(EVENTS.putError, {
      message: `${what} failed, will retry: ${code}${http}: ${message}${hint}`,
      code,
      detail: message,
      status,
      attempt,
      events,
      kind,
      call
    })
  }
}
