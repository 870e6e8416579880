import {
  CreateLogGroupCommand, CreateLogStreamCommand, PutRetentionPolicyCommand, type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs'
import { targetKey, type Target } from '../pipeline/batch.js'
import { withDeadline } from './deadline.js'
import { EVENTS, type Reporter } from '../diagnostics.js'
import { classify, describe, httpStatus, type Failure } from './errors.js'

export interface DestinationOptions {
  createLogGroup: boolean
  createLogStream: boolean
  retentionInDays: number | undefined
  logGroupClass: string | undefined
  tags: Record<string, string> | undefined
  kmsKeyId: string | undefined
  deletionProtection: boolean
}

/** Streams remembered as existing; past this many (routing by record over months), the memory starts over. */
const REMEMBERED_STREAMS = 10_000

/** Told about a creation call that failed; the sender backs off and tries again. */
export type CreationFailed = (err: unknown, kind: Failure) => void

/**
 * Creates log groups and streams when they are missing. A failed creation call is reported and answered `false`:
 * it is never taken for a refused batch (an InvalidParameterException from CreateLogGroup says nothing about the
 * events). Each step is tried once per call; the sender's backoff paces the next try, so an eventually consistent
 * "group missing" / "group already exists" pair cannot spin.
 */
export class Destinations {
  readonly #client: CloudWatchLogsClient
  readonly #opts: DestinationOptions
  readonly #report: Reporter
  readonly #onFailure: CreationFailed
  /** Streams known to exist, or being created (concurrent sends share the call). */
  readonly #ensured = new Map<string, Promise<boolean>>()

  constructor (client: CloudWatchLogsClient, opts: DestinationOptions, report: Reporter, onFailure: CreationFailed) {
    this.#client = client
    this.#opts = opts
    this.#report = report
    this.#onFailure = onFailure
  }

  /** Makes sure the stream exists, once per stream; false when creating it failed this time. */
  ensure (target: Target, signal: AbortSignal, timeout: number): Promise<boolean> {
    const k = targetKey(target)
    let pending = this.#ensured.get(k)
    if (!pending) {
      // Forgetting costs one CreateLogStream answered "already exists" per stream, later.
      if (this.#ensured.size >= REMEMBERED_STREAMS) this.#ensured.clear()
      pending = this.#createStream(target, signal, timeout)
      this.#ensured.set(k, pending)
      const forget = (): void => { if (this.#ensured.get(k) === pending) this.#ensured.delete(k) }
      pending.then(ok => { if (!ok) forget() }, forget)
    }
    return pending
  }

  /** The service said the group or stream is missing (deleted while running): create what creation may create. */
  async recreate (target: Target, kind: 'missing-group' | 'missing-stream', signal: AbortSignal,
    timeout: number): Promise<boolean> {
    this.#ensured.delete(targetKey(target))
    if (kind === 'missing-group') {
      if (!this.#opts.createLogGroup || !await this.#createGroup(target.logGroupName, signal, timeout)) return false
    }
    if (!this.#opts.createLogStream) return kind === 'missing-group'
    return this.ensure(target, signal, timeout)
  }

  async #createStream (target: Target, signal: AbortSignal, timeout: number): Promise<boolean> {
    let groupCreated = false
    for (;;) {
      try {
        await withDeadline(timeout, signal, abortSignal =>
          this.#client.send(new CreateLogStreamCommand(target), { abortSignal }))
        this.#report(EVENTS.created, {
          message: `created log stream ${target.logStreamName} in ${target.logGroupName}`,
          kind: 'stream',
          name: target.logStreamName
        })
        return true
      } catch (err) {
        if (signal.aborted) return false
        const name = (err as Error).name
        if (name === 'ResourceAlreadyExistsException') return true
        const kind = classify(err)
        // Allowed to put but not to create: the stream may exist; the put will tell.
        if (kind === 'denied') return true
        if (kind === 'missing-group' && this.#opts.createLogGroup && !groupCreated) {
          groupCreated = true
          if (await this.#createGroup(target.logGroupName, signal, timeout)) continue
          return false
        }
        this.#onFailure(err, kind)
        return false
      }
    }
  }

  async #createGroup (logGroupName: string, signal: AbortSignal, timeout: number): Promise<boolean> {
    const { logGroupClass, tags, retentionInDays, kmsKeyId, deletionProtection } = this.#opts
    // Key, class, tags and protection go in the creating call: the first events are already encrypted with the key.
    const input = {
      logGroupName,
      logGroupClass: logGroupClass as never,
      tags,
      kmsKeyId,
      deletionProtectionEnabled: deletionProtection ? true : undefined
    }
    try {
      await withDeadline(timeout, signal, abortSignal =>
        this.#client.send(new CreateLogGroupCommand(input), { abortSignal }))
    } catch (err) {
      if ((err as Error).name === 'ResourceAlreadyExistsException') return true
      if (!signal.aborted) this.#onFailure(err, classify(err))
      return false
    }
    this.#report(EVENTS.created, { message: `created log group ${logGroupName}`, kind: 'group', name: logGroupName })
    if (retentionInDays !== undefined) {
      try {
        await withDeadline(timeout, signal, abortSignal =>
          this.#client.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays }), { abortSignal }))
      } catch (err) {
        // The group exists and logs can flow: a retention that could not be set must not hold them up.
        const { code, message } = describe(err)
        this.#report(EVENTS.putError, {
          message: `could not set retention on ${logGroupName}: ${code}: ${message} (needs logs:PutRetentionPolicy)`,
          code,
          detail: message,
          status: httpStatus(err),
          attempt: 0,
          events: 0,
          kind: 'retention',
          call: 'create'
        })
      }
    }
    return true
  }
}
