import type { Failure } from './cloudwatch/errors.js'

// The events logbeam reports instead of failing: each name, the payload it carries, and the words the README's
// events table is generated from. The reporter's signature, the stream's `on()` types and that table all come from
// here, so a field cannot be sent without being typed, nor typed without being documented.

/**
 * The named events logbeam reports (to the main thread, and as lines on stderr). Checked against EventPayloads: a
 * name without a payload type, or a payload type without a name, fails to compile.
 */
export const EVENTS = {
  putError: 'putError',
  recovered: 'recovered',
  dropped: 'dropped',
  rejected: 'rejected',
  timestampAdjusted: 'timestampAdjusted',
  oversize: 'oversize',
  created: 'created',
  undelivered: 'undelivered',
  spoolError: 'spoolError',
  metricsInvalid: 'metricsInvalid',
  metricsUnsupported: 'metricsUnsupported',
  routeFallback: 'routeFallback',
  entityRejected: 'entityRejected',
  workerNice: 'workerNice'
} as const satisfies { [N in keyof EventPayloads]: N }

export type EventName = typeof EVENTS[keyof typeof EVENTS]

/** Why a call failed: how the error was classified, or `retention` for a retention that could not be set. */
export type PutErrorKind = Failure | 'retention'

// Type aliases rather than interfaces: each must be assignable to EventInfo's index signature.

/** A call failed and will be retried (or a retention could not be set). */
export type PutErrorInfo = {
  message: string
  /** The error's name (`ThrottlingException`, `TimeoutError`, ...). */
  code: string
  /** The error's own message (redacted), without logbeam's wording around it. */
  detail: string
  /** Attempts at this batch so far (0 for a retention). */
  attempt: number
  /** Events in the batch (0 for a create or retention call). */
  events: number
  kind: PutErrorKind
  /** The call that failed: `put` (PutLogEvents) or `create` (a log group, a stream, a retention). */
  call: 'put' | 'create'
  /** The HTTP status, when the service answered. */
  status?: number
}

export type RecoveredInfo = {
  message: string
  /** Time from the first failure to this success. */
  failedFor: number
  /** Failed calls in that time. */
  failures: number
}

export type DroppedInfo = {
  message: string
  /** Events dropped in this period. */
  count: number
  /** Timestamp (epoch ms) of the oldest dropped event. */
  from: number
  /** Timestamp (epoch ms) of the newest dropped event. */
  to: number
  /** Why: the buffer or the spool was full. */
  reason: string
}

export type RejectedInfo = {
  message: string
  count: number
  /** `window` for events the service did not store (rejectedLogEventsInfo), else the service's message. */
  reason: string
  /** The error's name, for an event the service refused. */
  code?: string
  /** The HTTP status of that refusal. */
  status?: number
}

export type TimestampAdjustedInfo = {
  message: string
  /** Events whose timestamps were moved. */
  count: number
}

export type OversizeInfo = {
  message: string
  /** Events split into parts. */
  split: number
  /** Events truncated. */
  truncated: number
}

export type CreatedInfo = {
  message: string
  kind: 'group' | 'stream'
  name: string
}

export type UndeliveredInfo = {
  message: string
  count: number
  /** `closeTimeout` when the deadline passed. */
  reason: string
}

export type SpoolErrorInfo = {
  message: string
  /** The spool file. */
  file: string
  /** The error's message. */
  reason: string
}

export type MetricsInvalidInfo = {
  message: string
  /** What breaks the EMF specification (the first problem found in the last such line). */
  reason: string
  /** Lines since the last report. */
  count: number
}

export type MetricsUnsupportedInfo = {
  message: string
  /** The class of the log group logbeam creates. */
  logGroupClass: string
}

export type RouteFallbackInfo = {
  message: string
  /** The placeholder (`{field.tenant}`), or `the whole name`; empty for `maxDestinations`. */
  placeholder: string
  /**
   * `missing` (no such field, or not a string or number), `invalid` (characters the name does not allow), `name`
   * (the filled name breaks a rule: length, `aws/`), `maxDestinations` (the cap is reached).
   */
  reason: 'missing' | 'invalid' | 'name' | 'maxDestinations'
  /** The fallback text taken, or for `maxDestinations` the refused `group/stream`. */
  name: string
  /** Names refused for the cap since the last report (1 for the other reasons). */
  count: number
}

export type EntityRejectedInfo = {
  message: string
  /** The service's rejectedEntityInfo.errorType (`InvalidEntity`, `InvalidKeyAttributes`, ...). */
  errorType: string
}

export type WorkerNiceInfo = {
  message: string
  /** The niceness asked for. */
  nice: number
  /** `unsupported` (not Linux), `would-raise`, `failed`; the thread keeps its priority. */
  reason: string
}

/** The payload of each event: `transport.on('putError', (info: EventPayloads['putError']) => ...)`. */
export interface EventPayloads {
  putError: PutErrorInfo
  recovered: RecoveredInfo
  dropped: DroppedInfo
  rejected: RejectedInfo
  timestampAdjusted: TimestampAdjustedInfo
  oversize: OversizeInfo
  created: CreatedInfo
  undelivered: UndeliveredInfo
  spoolError: SpoolErrorInfo
  metricsInvalid: MetricsInvalidInfo
  metricsUnsupported: MetricsUnsupportedInfo
  routeFallback: RouteFallbackInfo
  entityRejected: EntityRejectedInfo
  workerNice: WorkerNiceInfo
}

/** What every event carries: a `message` (also printed on stderr) and its own fields (see EventPayloads). */
export interface EventInfo { message: string, [key: string]: unknown }

/** The README's words for each event and each of its fields (`message` aside); the compiler holds it to the types. */
export const EVENT_DOCS = {
  putError: {
    when: 'a call failed and will be retried (or a retention could not be set)',
    fields: {
      code: 'the error name (`ThrottlingException`, `TimeoutError`, ...)',
      detail: 'the error\'s own message',
      attempt: 'attempts at this batch so far',
      events: 'events in the batch',
      kind: '`overload`, `transient`, `denied`, `missing-group`, `missing-stream`, `invalid`, `refused` or `retention`',
      call: '`put` or `create`',
      status: 'HTTP status, when there was an answer'
    }
  },
  recovered: {
    when: 'delivery works again after failures',
    fields: { failedFor: 'ms since the first failure', failures: 'failed calls in that time' }
  },
  dropped: {
    when: 'the buffer overflowed (once when drops start, then a summary when delivery recovers and at close)',
    fields: { count: 'events', from: 'oldest timestamp (epoch ms)', to: 'newest timestamp', reason: 'why' }
  },
  rejected: {
    when: 'the service refused an event for good, or did not store some (`rejectedLogEventsInfo`)',
    fields: {
      count: 'events',
      reason: '`window`, or the service\'s message',
      code: 'the error name, if refused',
      status: 'its HTTP status'
    }
  },
  timestampAdjusted: {
    when: 'timestamps were moved into the accepted window',
    fields: { count: 'events' }
  },
  oversize: {
    when: 'events over the per-event limit were split or truncated',
    fields: { split: 'events split', truncated: 'events truncated' }
  },
  created: {
    when: 'a log group or stream was created',
    fields: { kind: '`group` or `stream`', name: 'its name' }
  },
  undelivered: {
    when: 'events were still undelivered when `closeTimeout` passed',
    fields: { count: 'events', reason: '`closeTimeout`' }
  },
  spoolError: {
    when: 'a spool file could not be written or read',
    fields: { file: 'the file', reason: 'the error\'s message' }
  },
  metricsInvalid: {
    when: 'with `metrics` set: a line carries its own `_aws` block that breaks the EMF specification (it is shipped ' +
      'unchanged; CloudWatch extracts no metric from it), or a metric field holds over 100 values (at most one ' +
      'report a second)',
    fields: {
      reason: 'the first problem found, e.g. `CloudWatchMetrics[0].Metrics[0]: Unit "Millis" is not a CloudWatch unit`',
      count: 'lines since the last report'
    }
  },
  metricsUnsupported: {
    when: 'at start: `metrics` is set with a `logGroupClass` (INFREQUENT_ACCESS, DELIVERY) whose groups CloudWatch ' +
      'extracts no metrics from',
    fields: { logGroupClass: 'the class' }
  },
  routeFallback: {
    when: 'with record placeholders in a name: lines take a fallback (once per placeholder and reason), or new ' +
      'destinations are past `maxDestinations`',
    fields: {
      placeholder: 'the placeholder, e.g. `{field.tenant}`',
      reason: '`missing`, `invalid`, `name` (the filled name breaks a rule) or `maxDestinations`',
      name: 'the fallback text, or the refused `group/stream`',
      count: 'names refused for the cap since the last report (the first at once, then at most one report every ' +
        '10 s)'
    }
  },
  entityRejected: {
    when: 'the service stored the events but not the `entity` sent with them (once per error type)',
    fields: { errorType: 'the service\'s `rejectedEntityInfo.errorType`' }
  },
  workerNice: {
    when: 'at start, with `workerNice` set: the worker thread\'s priority could not be lowered (it runs as before)',
    fields: { nice: 'the niceness asked for', reason: '`unsupported` (not Linux), `would-raise` or `failed`' }
  }
} as const satisfies {
  [N in EventName]: { when: string, fields: { [F in Exclude<keyof EventPayloads[N], 'message'>]-?: string } }
}
