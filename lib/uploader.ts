import {
  CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
  type CloudWatchLogsClient, type PutLogEventsCommandOutput
} from '@aws-sdk/client-cloudwatch-logs'
import type { Batch, LogEvent } from './batch-packer.js'
import { backoffDelay, sleep } from './backoff.js'
import { EVENTS, type Reporter } from './diagnostics.js'
import { classify, describe } from './errors.js'
import { LIMITS } from './limits.js'
import { splitMessage } from './oversize.js'
import { RateLimiter } from './rate-limiter.js'
import { acceptedWindow, clampSorted, SEND_MARGIN_MS } from './time-window.js'

export interface Target { logGroupName: string, logStreamName: string }

export interface UploaderOptions {
  createLogGroup: boolean
  createLogStream: boolean
  retentionInDays: number | undefined
  logGroupClass: string | undefined
  tags: Record<string, string> | undefined
  maxPutsPerSecond: number
  requestTimeout: number
  retryBaseDelay: number
  retryMaxDelay: number
}

/** How a batch ended. */
export interface Outcome {
  /** Events the service stored. */
  delivered: number
  /** Events the service refused for good (reported). */
  rejected: number
  /** Events not sent because `signal` aborted first. */
  undelivered: number
}

/** Events the service took but did not store, from rejectedLogEventsInfo (indexes read tolerantly). */
function countRejected (info: PutLogEventsCommandOutput['rejectedLogEventsInfo'], total: number): number {
  if (!info) return 0
  const old = Math.max(info.tooOldLogEventEndIndex ?? -1, info.expiredLogEventEndIndex ?? -1)
  const fromNew = info.tooNewLogEventStartIndex
  return Math.min(total, (old >= 0 ? old + 1 : 0) + (fromNew !== undefined && fromNew >= 0 ? total - fromNew : 0))
}

/** Events of the old per-event limit: some regions or endpoints may still refuse larger ones. */
const LEGACY_EVENT_BYTES = 262_144 - LIMITS.eventOverhead

/**
 * Sends batches with PutLogEvents: paced by a rate limit, every call timed out, every failure
 * that can be retried retried with backoff (never given up while the caller waits), missing
 * groups and streams created, refused batches split to find and set aside the bad event.
 */
export class Uploader {
  readonly #client: CloudWatchLogsClient
  readonly #opts: UploaderOptions
  readonly #report: Reporter
  readonly #limiter: RateLimiter
  readonly #ensured = new Map<string, Promise<void>>()
  /** Sequence tokens, only for endpoints that still ask for them. */
  readonly #tokens = new Map<string, string>()
  #failingSince = 0
  #attemptsFailed = 0

  constructor (client: CloudWatchLogsClient, opts: UploaderOptions, report: Reporter) {
    this.#client = client
    this.#opts = opts
    this.#report = report
    this.#limiter = new RateLimiter(opts.maxPutsPerSecond)
  }

  /** Sends one batch until it is stored, refused for good, or `signal` aborts. */
  async send (batch: Batch, target: Target, signal: AbortSignal): Promise<Outcome> {
    return this.#send(batch.events, target, signal)
  }

  async #send (events: LogEvent[], target: Target, signal: AbortSignal): Promise<Outcome> {
    let attempt = 0
    let recreated = false
    let retoken = false
    while (!signal.aborted) {
      try {
        if (this.#opts.createLogStream) await this.#ensureStream(target, signal)
        await this.#limiter.take(signal)
        if (signal.aborted) break
        const moved = clampSorted(events, acceptedWindow(this.#serviceNow(), this.#opts.retentionInDays, SEND_MARGIN_MS))
        if (moved > 0) {
          this.#report(EVENTS.timestampAdjusted, { message: `${moved} events waited past the accepted time window; sent with adjusted timestamps`, count: moved })
        }
        const sequenceToken = this.#tokens.get(key(target))
        const out = await this.#client.send(new PutLogEventsCommand({ ...target, logEvents: events, sequenceToken }), {
          abortSignal: AbortSignal.any([signal, AbortSignal.timeout(this.#opts.requestTimeout)])
        })
        if (sequenceToken !== undefined && out.nextSequenceToken) this.#tokens.set(key(target), out.nextSequenceToken)
        this.#succeeded()
        const rejected = countRejected(out.rejectedLogEventsInfo, events.length)
        if (rejected > 0) {
          this.#report(EVENTS.rejected, { message: `the service did not store ${rejected} events (outside its time window): ${JSON.stringify(out.rejectedLogEventsInfo)}`, count: rejected, reason: 'window' })
        }
        return { delivered: events.length - rejected, rejected, undelivered: 0 }
      } catch (err) {
        if (signal.aborted) break
        const kind = classify(err)
        if (kind === 'invalid') return this.#bisect(events, target, signal, err)
        // The service no longer uses sequence tokens, but older emulators still demand them:
        // follow the token they expect, and take "already accepted" as the success it is.
        const legacy = err as { name?: string, expectedSequenceToken?: string }
        if (legacy.name === 'DataAlreadyAcceptedException') return { delivered: events.length, rejected: 0, undelivered: 0 }
        if (legacy.name === 'InvalidSequenceTokenException' && legacy.expectedSequenceToken && !retoken) {
          retoken = true
          this.#tokens.set(key(target), legacy.expectedSequenceToken)
          continue
        }
        if (kind === 'missing-group' || kind === 'missing-stream') {
          // Deleted while running, or never there: create again (once at once, then with backoff).
          this.#ensured.delete(key(target))
          const canCreate = kind === 'missing-group' ? this.#opts.createLogGroup : this.#opts.createLogStream
          if (canCreate && !recreated) {
            recreated = true
            if (kind === 'missing-group') await this.#quietly(() => this.#createGroup(target.logGroupName, signal), signal)
            continue
          }
        }
        this.#failed(err, attempt, events.length, kind)
        const base = kind === 'denied' ? Math.max(this.#opts.retryBaseDelay, 1000) : this.#opts.retryBaseDelay
        await sleep(backoffDelay(attempt++, base, this.#opts.retryMaxDelay), signal)
        recreated = false
        retoken = false
      }
    }
    return { delivered: 0, rejected: 0, undelivered: events.length }
  }

  /**
   * The service refused the batch. Halve it until the refused event is alone: everything else is
   * delivered, and a lone refused event gets one more chance cut at the old 256 KB event limit.
   */
  async #bisect (events: LogEvent[], target: Target, signal: AbortSignal, err: unknown): Promise<Outcome> {
    if (events.length > 1) {
      const half = events.length >>> 1
      const a = await this.#send(events.slice(0, half), target, signal)
      const b = await this.#send(events.slice(half), target, signal)
      return { delivered: a.delivered + b.delivered, rejected: a.rejected + b.rejected, undelivered: a.undelivered + b.undelivered }
    }
    const event = events[0]!
    if (Buffer.byteLength(event.message, 'utf8') > LEGACY_EVENT_BYTES) {
      const parts = splitMessage(event.message, LEGACY_EVENT_BYTES)
      const out = await this.#sendParts(parts.map(message => ({ timestamp: event.timestamp, message })), target, signal)
      return { ...out, delivered: out.delivered > 0 ? 1 : 0, rejected: out.rejected > 0 ? 1 : 0, undelivered: out.undelivered > 0 ? 1 : 0 }
    }
    const { code, message } = describe(err)
    this.#report(EVENTS.rejected, { message: `the service refused an event (${code}: ${message}); it was set aside`, count: 1, reason: message, code })
    return { delivered: 0, rejected: 1, undelivered: 0 }
  }

  /** Parts of one event, at most 256 KB each, three to a call: refused again means refused for good. */
  async #sendParts (parts: LogEvent[], target: Target, signal: AbortSignal): Promise<Outcome> {
    const total: Outcome = { delivered: 0, rejected: 0, undelivered: 0 }
    for (let i = 0; i < parts.length; i += 3) {
      const out = await this.#send(parts.slice(i, i + 3), target, signal)
      total.delivered += out.delivered
      total.rejected += out.rejected
      total.undelivered += out.undelivered
    }
    return total
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
      this.#report(EVENTS.recovered, { message: `delivery works again after ${this.#attemptsFailed} failed calls over ${failedFor} ms`, failedFor, failures: this.#attemptsFailed })
      this.#attemptsFailed = 0
    }
  }

  #failed (err: unknown, attempt: number, events: number, kind: string): void {
    if (this.#attemptsFailed++ === 0) this.#failingSince = Date.now()
    const { code, message } = describe(err)
    const hint = kind === 'denied'
      ? ' (check the credentials and that they allow logs:PutLogEvents and logs:CreateLogStream)'
      : kind === 'missing-group' || kind === 'missing-stream' ? ' (creation is off: create it, or set createLogGroup/createLogStream)' : ''
    this.#report(EVENTS.putError, { message: `PutLogEvents failed, will retry: ${code}: ${message}${hint}`, code, attempt, events, kind })
  }

  /** Runs a creation step; its failures are reported, the caller's loop retries. */
  async #quietly (step: () => Promise<void>, signal: AbortSignal): Promise<void> {
    try {
      await step()
    } catch (err) {
      if (signal.aborted) return
      this.#failed(err, this.#attemptsFailed, 0, classify(err))
      await sleep(backoffDelay(Math.min(this.#attemptsFailed, 10), this.#opts.retryBaseDelay, this.#opts.retryMaxDelay), signal)
    }
  }

  /** Creates the stream once (concurrent sends share the call); an existing stream is fine. */
  #ensureStream (target: Target, signal: AbortSignal): Promise<void> {
    const k = key(target)
    let pending = this.#ensured.get(k)
    if (!pending) {
      pending = this.#createStream(target, signal)
      this.#ensured.set(k, pending)
      pending.catch(() => this.#ensured.delete(k))
    }
    return pending
  }

  async #createStream (target: Target, signal: AbortSignal): Promise<void> {
    try {
      await this.#client.send(new CreateLogStreamCommand(target), { abortSignal: this.#timeout(signal) })
      this.#report(EVENTS.created, { message: `created log stream ${target.logStreamName} in ${target.logGroupName}`, kind: 'stream', name: target.logStreamName })
    } catch (err) {
      const name = (err as Error).name
      if (name === 'ResourceAlreadyExistsException') return
      // Allowed to put but not to create: the stream may exist; the put will tell.
      if (classify(err) === 'denied') return
      if (name === 'ResourceNotFoundException' && this.#opts.createLogGroup) {
        await this.#createGroup(target.logGroupName, signal)
        return this.#createStream(target, signal)
      }
      throw err
    }
  }

  async #createGroup (logGroupName: string, signal: AbortSignal): Promise<void> {
    const { logGroupClass, tags, retentionInDays } = this.#opts
    try {
      await this.#client.send(new CreateLogGroupCommand({ logGroupName, logGroupClass: logGroupClass as never, tags }), { abortSignal: this.#timeout(signal) })
    } catch (err) {
      if ((err as Error).name === 'ResourceAlreadyExistsException') return
      throw err
    }
    this.#report(EVENTS.created, { message: `created log group ${logGroupName}`, kind: 'group', name: logGroupName })
    if (retentionInDays !== undefined) {
      try {
        await this.#client.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays }), { abortSignal: this.#timeout(signal) })
      } catch (err) {
        // The group exists and logs can flow: a retention that could not be set must not hold them up.
        const { code, message } = describe(err)
        this.#report(EVENTS.putError, { message: `could not set retention on ${logGroupName}: ${code}: ${message} (needs logs:PutRetentionPolicy)`, code, attempt: 0, events: 0, kind: 'retention' })
      }
    }
  }

  #timeout (signal: AbortSignal): AbortSignal {
    return AbortSignal.any([signal, AbortSignal.timeout(this.#opts.requestTimeout)])
  }
}

function key (target: Target): string {
  return `${target.logGroupName}\u0000${target.logStreamName}`
}
