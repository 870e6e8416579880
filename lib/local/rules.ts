import { LIMITS, eventSize } from '../cloudwatch/limits.js'
import { LOG_GROUP_CLASSES, LOG_GROUP_NAME, LOG_STREAM_NAME, RETENTION_DAYS } from '../cloudwatch/rules.js'

/** An error answered the way the service answers it: `__type` name, message and HTTP status. */
export class ServiceError extends Error {
  readonly type: string
  readonly status: number

  constructor (type: string, message: string, status = 400) {
    super(message)
    this.name = type
    this.type = type
    this.status = status
  }
}

// The service's facts live in cloudwatch/rules.ts, shared with the options; re-exported for the endpoint's users.
export { LOG_GROUP_CLASSES, RETENTION_DAYS }

const DAY_MS = 24 * 60 * 60 * 1000
const NAME_MAX = LOG_GROUP_NAME.maxLength

/** The wording of the service's model-constraint errors, so messages read like the real ones. */
export function constraintMessage (value: unknown, field: string, constraint: string): string {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`
  return `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ` +
    `Member must ${constraint}`
}

export function invalidParameter (message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message)
}

/** A decoded JSON request body, and what an operation answers. */
export type Request = Record<string, unknown>
export type Response = Record<string, unknown>

/** Throws the message of a failed check as InvalidParameterException. */
export function fail (message: string | undefined): void {
  if (message !== undefined) throw invalidParameter(message)
}

/** A field of the JSON request, checked for its JSON type; a wrong type is a serialization error. */
export function optional (request: Request, field: string, type: 'string'): string | undefined
export function optional (request: Request, field: string, type: 'number'): number | undefined
export function optional (request: Request, field: string, type: 'boolean'): boolean | undefined
export function optional (request: Request, field: string, type: 'object'): object | undefined
export function optional (request: Request, field: string, type: 'string' | 'number' | 'boolean' | 'object'): unknown {
  const value = request[field]
  if (value === undefined || value === null) return undefined
  const actual = typeof value
  if (actual !== type) {
    throw new ServiceError('SerializationException', `Unexpected value type for '${field}': expected ${type}`)
  }
  return value
}

/** Plain code-unit order, like the service's listings (not locale order). */
export function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Name checks return the error message, or undefined when the name is fine. */
export function checkLogGroupName (name: unknown, field = 'logGroupName'): string | undefined {
  if (name === undefined || name === null) return constraintMessage(name, field, 'not be null')
  if (typeof name !== 'string') return constraintMessage(name, field, 'be a string')
  if (name.length < 1) return constraintMessage(name, field, 'have length greater than or equal to 1')
  if (name.length > NAME_MAX) return constraintMessage(name, field, `have length less than or equal to ${NAME_MAX}`)
  if (!LOG_GROUP_NAME.characters.test(name)) {
    return constraintMessage(name, field, 'satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+')
  }
  return undefined
}

/** The `aws/` prefix is reserved for AWS's own groups: only creating such a name is refused. */
export function checkNewLogGroupName (name: unknown): string | undefined {
  const error = checkLogGroupName(name)
  if (error !== undefined) return error
  if (!(name as string).startsWith(LOG_GROUP_NAME.reservedPrefix)) return undefined
  return "Log group names starting with 'aws/' are reserved for AWS."
}

export function checkLogStreamName (name: unknown, field = 'logStreamName'): string | undefined {
  if (name === undefined || name === null) return constraintMessage(name, field, 'not be null')
  if (typeof name !== 'string') return constraintMessage(name, field, 'be a string')
  if (name.length < 1) return constraintMessage(name, field, 'have length greater than or equal to 1')
  if (name.length > LOG_STREAM_NAME.maxLength) {
    return constraintMessage(name, field, `have length less than or equal to ${LOG_STREAM_NAME.maxLength}`)
  }
  if (LOG_STREAM_NAME.forbidden.test(name)) {
    return constraintMessage(name, field, 'satisfy regular expression pattern: [^:*]*')
  }
  return undefined
}

export function checkRetentionInDays (days: unknown): string | undefined {
  if ((RETENTION_DAYS as readonly unknown[]).includes(days)) return undefined
  return constraintMessage(days, 'retentionInDays', `satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`)
}

/** `limit` of the read operations: an integer in 1..max, or absent. */
export function checkLimit (limit: unknown, max: number): string | undefined {
  if (limit === undefined || limit === null) return undefined
  if (!Number.isInteger(limit) || (limit as number) < 1) {
    return constraintMessage(limit, 'limit', 'have value greater than or equal to 1')
  }
  if ((limit as number) > max) return constraintMessage(limit, 'limit', `have value less than or equal to ${max}`)
  return undefined
}

export interface InputLogEvent { timestamp: number, message: string }

export interface PutLogEventsRequest {
  logGroupName?: unknown
  logStreamName?: unknown
  logEvents?: unknown
  sequenceToken?: unknown
}

/**
 * Indexes are inclusive on both ends, as the brief of each field reads: `tooOldLogEventEndIndex`
 * and `expiredLogEventEndIndex` are the index of the LAST event refused for that reason,
 * `tooNewLogEventStartIndex` the index of the FIRST too-new one. An event older than 14 days is
 * counted as too old only, so the expired range starts after the too-old one: every refused event
 * has one reason, and `max(tooOld, expired) + 1` is always the number refused at the start.
 */
export interface RejectedLogEventsInfo {
  tooOldLogEventEndIndex?: number
  expiredLogEventEndIndex?: number
  tooNewLogEventStartIndex?: number
}

/** What to store: events[start..end) (all valid ones), their message bytes, what was refused. */
export interface AcceptedBatch {
  events: InputLogEvent[]
  start: number
  end: number
  messageBytes: number
  rejected?: RejectedLogEventsInfo
}

export type PutLogEventsVerdict = { ok: true, batch: AcceptedBatch } | { ok: false, message: string }

/**
 * Every rule the service applies to a PutLogEvents request once the group and stream exist. Any
 * failure fails the whole call with InvalidParameterException; events outside the time window do
 * not: they are left out and reported. `now` is the service's clock in epoch ms.
 */
export function validatePutLogEvents (request: PutLogEventsRequest, now: number,
  retentionInDays?: number): PutLogEventsVerdict {
  const failed = (message: string): PutLogEventsVerdict => ({ ok: false, message })
  const nameError = checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName)
  if (nameError !== undefined) return failed(nameError)
  const countError = checkEventCount(request.logEvents)
  if (countError !== undefined) return failed(countError)
  const events = request.logEvents as InputLogEvent[]
  const fieldError = checkEventFields(events)
  if (fieldError !== undefined) return failed(fieldError)
  const size = checkEventSizes(events)
  if (typeof size === 'string') return failed(size)
  const orderError = checkChronologicalOrder(events)
  if (orderError !== undefined) return failed(orderError)
  const window = classifyTimeWindow(events, now, retentionInDays)
  const spanError = checkSpan(events, window.start, window.end)
  if (spanError !== undefined) return failed(spanError)
  let messageBytes = size - events.length * LIMITS.eventOverhead
  for (let i = 0; i < window.start; i++) messageBytes -= Buffer.byteLength(events[i]!.message, 'utf8')
  for (let i = window.end; i < events.length; i++) messageBytes -= Buffer.byteLength(events[i]!.message, 'utf8')
  return { ok: true, batch: { events, ...window, messageBytes } }
}

export function checkEventCount (events: unknown): string | undefined {
  if (events === undefined || events === null) return constraintMessage(events, 'logEvents', 'not be null')
  if (!Array.isArray(events)) return constraintMessage(events, 'logEvents', 'be a list')
  if (events.length < 1) return constraintMessage('[]', 'logEvents', 'have length greater than or equal to 1')
  if (events.length > LIMITS.maxBatchCount) {
    return "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: " +
      `Member must have length less than or equal to ${LIMITS.maxBatchCount}`
  }
  return undefined
}

/** Both fields are required; the service numbers list members from 1 in its messages. */
export function checkEventFields (events: readonly unknown[]): string | undefined {
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Partial<Record<'timestamp' | 'message', unknown>> | null
    const at = `logEvents.${i + 1}.member`
    if (typeof event !== 'object' || event === null) return constraintMessage(event, at, 'not be null')
    const { timestamp, message } = event
    if (timestamp === undefined || timestamp === null) {
      return constraintMessage(timestamp, `${at}.timestamp`, 'not be null')
    }
    if (!Number.isSafeInteger(timestamp)) {
      return constraintMessage(timestamp, `${at}.timestamp`, 'be an integer number of milliseconds since the epoch')
    }
    if (message === undefined || message === null) return constraintMessage(message, `${at}.message`, 'not be null')
    if (typeof message !== 'string') return constraintMessage(message, `${at}.message`, 'be a string')
    if (message.length === 0) {
      return constraintMessage(message, `${at}.message`, 'have length greater than or equal to 1')
    }
  }
  return undefined
}

/** Returns the batch size as the service counts it (UTF-8 bytes + 26 per event), or the error. */
export function checkEventSizes (events: readonly InputLogEvent[]): number | string {
  const limit = LIMITS.maxBatchBytes
  let total = 0
  for (const event of events) {
    const size = eventSize(event.message)
    if (size > LIMITS.maxEventBytes) {
      return `Log event too large: ${size} bytes exceeds limit of ${LIMITS.maxEventBytes}`
    }
    total += size
  }
  return total > limit ? `Upload too large: ${total} bytes exceeds limit of ${limit}` : total
}

/** Equal timestamps are allowed; only a step back fails the call. */
export function checkChronologicalOrder (events: readonly InputLogEvent[]): string | undefined {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      return 'Log events in a single PutLogEvents request must be in chronological order.'
    }
  }
  return undefined
}

/**
 * Splits sorted events into a too-old/expired prefix, the accepted range [start, end) and a too-new
 * suffix. The limits are inclusive: an event exactly 14 days old, exactly `retentionInDays` old or
 * exactly 2 h ahead is accepted. Only the refused ends are walked.
 */
export function classifyTimeWindow (
  events: readonly InputLogEvent[], now: number, retentionInDays?: number
): { start: number, end: number, rejected?: RejectedLogEventsInfo } {
  const oldest = now - LIMITS.maxAgeMs
  const retained = retentionInDays === undefined ? -Infinity : now - retentionInDays * DAY_MS
  const newest = now + LIMITS.maxFutureMs
  let tooOld = 0
  while (tooOld < events.length && events[tooOld]!.timestamp < oldest) tooOld++
  let start = tooOld
  while (start < events.length && events[start]!.timestamp < retained) start++
  let end = events.length
  while (end > start && events[end - 1]!.timestamp > newest) end--
  if (start === 0 && end === events.length) return { start, end }
  const rejected: RejectedLogEventsInfo = {}
  if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld - 1
  if (start > tooOld) rejected.expiredLogEventEndIndex = start - 1
  if (end < events.length) rejected.tooNewLogEventStartIndex = end
  return { start, end, rejected }
}

/** The span rule looks at the events that would be stored, as the service's rules describe it. */
export function checkSpan (events: readonly InputLogEvent[], start: number, end: number): string | undefined {
  if (end - start < 2) return undefined
  if (events[end - 1]!.timestamp - events[start]!.timestamp <= LIMITS.maxSpanMs) return undefined
  return 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.'
}

/** The batch size as the service counts it, for any list (malformed members count as 0 bytes). */
export function batchBytes (events: readonly unknown[]): number {
  let total = 0
  for (const event of events) {
    const message = (event as { message?: unknown } | null)?.message
    total += typeof message === 'string' ? eventSize(message) : LIMITS.eventOverhead
  }
  return total
}

/**
 * The subset of the filter-pattern syntax logbeam-local understands: terms separated by spaces,
 * all of which must appear (case-sensitive), and "quoted phrases" matched as a whole. The rest of
 * the syntax (`?term`, `-term`, JSON and space-delimited patterns) is refused rather than matched
 * wrongly, so a test never passes by accident.
 */
export function parseFilterPattern (pattern: unknown): string[] {
  if (pattern === undefined || pattern === null) return []
  if (typeof pattern !== 'string') throw invalidParameter(constraintMessage(pattern, 'filterPattern', 'be a string'))
  const first = pattern.trimStart()[0]
  if (first === '{' || first === '[') {
    throw invalidParameter('logbeam-local supports only term and "quoted phrase" filter patterns.')
  }
  const terms: string[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]!
    if (c === ' ' || c === '\t') {
      i++
    } else if (c === '"') {
      const close = pattern.indexOf('"', i + 1)
      if (close < 0) throw invalidParameter('Invalid filter pattern: unterminated quoted phrase.')
      if (close > i + 1) terms.push(pattern.slice(i + 1, close))
      i = close + 1
    } else {
      if (c === '?' || c === '-') {
        throw invalidParameter(`logbeam-local does not support '${c}term' in filter patterns.`)
      }
      let stop = i
      while (stop < pattern.length && pattern[stop] !== ' ' && pattern[stop] !== '\t' && pattern[stop] !== '"') stop++
      terms.push(pattern.slice(i, stop))
      i = stop
    }
  }
  return terms
}

export function matchesTerms (message: string, terms: readonly string[]): boolean {
  for (const term of terms) if (!message.includes(term)) return false
  return true
}
