// What flows between the stages: events, batches and where they go.

/** One log event as PutLogEvents takes it. */
export interface LogEvent { timestamp: number, message: string }

/** One PutLogEvents call's worth of events, valid by construction. */
export interface Batch {
  /** Sorted by timestamp; equal timestamps keep the order they were logged in. */
  events: LogEvent[]
  /** Size as the service counts it: UTF-8 bytes of each message + 26. */
  bytes: number
  /** When the first event of the batch was received (ms). */
  openedAt: number
}

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
