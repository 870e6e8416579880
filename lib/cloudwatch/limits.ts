/** The PutLogEvents limits, as the service enforces them. */
export const LIMITS = {
  /** Events in one PutLogEvents call. */
  maxBatchCount: 10_000,
  /** Bytes in one call: UTF-8 bytes of every message plus `eventOverhead` each. */
  maxBatchBytes: 1_048_576,
  /** Bytes counted for each event on top of its message. */
  eventOverhead: 26,
  /** One event, overhead included (1 MB since 2025). */
  maxEventBytes: 1_048_576,
  /** Span of the timestamps in one call. */
  maxSpanMs: 24 * 60 * 60 * 1000,
  /** Older events are dropped by the service. */
  maxAgeMs: 14 * 24 * 60 * 60 * 1000,
  /** Events further ahead are dropped by the service. */
  maxFutureMs: 2 * 60 * 60 * 1000
} as const

/**
 * Bytes one event counts for against the call and event limits: the UTF-8 bytes of its message plus
 * `eventOverhead`. The one place that formula is written; the packer, the uploader and the local endpoint use it.
 */
export function eventSize (message: string): number {
  return Buffer.byteLength(message, 'utf8') + LIMITS.eventOverhead
}
