// What flows between the stages: events, batches and where they go.

/** One log event as PutLogEvents takes it. */
export interface LogEvent { timestamp: number, message: string }

/**
 * One PutLogEvents call's worth of events, valid by construction, held as the bytes it is sent as: encoded once when
 * it is sealed, so every attempt, merge and spool write uses those bytes and memory is what they weigh.
 */
export interface Batch {
  /**
   * The request's `logEvents` array as JSON in UTF-8: `[{"timestamp":T,"message":"…"},…]`. Sorted by timestamp;
   * equal timestamps keep the order they were logged in.
   */
  data: Buffer
  /** Events in it. */
  count: number
  /** Size as the service counts it: UTF-8 bytes of each message + 26. */
  bytes: number
  /** Timestamps of its first and last events. */
  first: number
  last: number
  /** When the first event of the batch was received (ms). */
  openedAt: number
  /**
   * The whole request body, when it was encoded with the names around the events (`data` is then a part of it): sent
   * as it is if the call's names are `frame`'s, which is the rule for a batch as sealed.
   */
  body?: { bytes: Buffer, frame: BodyFrame }
}

/** The JSON a PutLogEvents body has around its `logEvents` array. */
export interface BodyFrame { head: string, tail: string }

/** The log group and stream a batch is for. */
export interface Target { logGroupName: string, logStreamName: string }

/** One text per stream, for maps keyed by where batches go (neither name can hold a NUL). */
export function targetKey (target: Target): string {
  return `${target.logGroupName}\u0000${target.logStreamName}`
}

/** How the sending of a batch ended. */
export interface Outcome {
  /** Events the service stored. */
  delivered: number
  /** Events the service refused for good (reported). */
  rejected: number
  /** Events not sent because the sender gave up first (closing). */
  undelivered: number
}

/** What a send may spend: the close signal, and (while closing) the time left for every attempt. */
export interface SendBudget {
  signal: AbortSignal
  /** Milliseconds left before the caller gives up; Infinity when it does not. */
  left: () => number
}

/** Where batches go: the uploader, seen from the pipeline (which knows no SDK). */
export interface Sender {
  /** Calls that may be in flight now (it adapts to how the service answers). */
  readonly limit: number
  /** No call has failed since the last success: what is buffered will go, it is only a matter of time. */
  readonly healthy: boolean
  send: (batch: Batch, target: Target, budget: SendBudget) => Promise<Outcome>
}
