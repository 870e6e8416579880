import { LIMITS } from '../cloudwatch/limits.js'
import type { EventLog, StoredEvent } from './events.js'
import {
  type Request, type Response, ServiceError, checkLimit, compare, fail, invalidParameter, matchesTerms, optional,
  parseFilterPattern
} from './rules.js'

/** GetLogEvents and FilterLogEvents over stored events: windows, pages and tokens. Pure. */

const READ_MAX = 10_000

const invalidToken = (): Error => invalidParameter('The specified nextToken is invalid.')

/**
 * GetLogEvents on one stream. Like the service: without a token, startFromHead picks the first
 * events, otherwise (the default) the LAST ones. A token is `f/<index>` or `b/<index>` into the
 * stream and carries its own direction; at either end the same token comes back, which is how a
 * reader knows it is done. A page holds at most `limit` events (default 10,000) and 1 MB.
 */
export function readLogEvents (events: EventLog, request: Request): Response {
  fail(checkLimit(request.limit, READ_MAX))
  const limit = (request.limit as number | undefined) ?? READ_MAX
  const message = (i: number): string => events.message(i)
  const startTime = optional(request, 'startTime', 'number')
  const endTime = optional(request, 'endTime', 'number')
  const lo = startTime === undefined ? 0 : events.firstAtOrAfter(startTime)
  // endTime is exclusive in GetLogEvents (and inclusive in FilterLogEvents), as documented.
  const hi = Math.max(lo, endTime === undefined ? events.length : events.firstAtOrAfter(endTime))
  let from: number
  let to: number
  const token = request.nextToken
  if (token !== undefined && token !== null) {
    const match = typeof token === 'string' ? /^([fb])\/(\d{1,15})$/.exec(token) : null
    if (match === null) throw invalidToken()
    const at = Math.min(Math.max(Number(match[2]), lo), hi)
    if (match[1] === 'f') {
      from = at
      to = forwardEnd(message, from, hi, limit)
    } else {
      to = at
      from = backwardStart(message, lo, to, limit)
    }
  } else if (optional(request, 'startFromHead', 'boolean') === true) {
    from = lo
    to = forwardEnd(message, from, hi, limit)
  } else {
    to = hi
    from = backwardStart(message, lo, to, limit)
  }
  return { events: events.slice(from, to), nextForwardToken: `f/${to}`, nextBackwardToken: `b/${from}` }
}

/**
 * FilterLogEvents over a group's streams: events that hold every term, merged by timestamp (then
 * stream name, then position) like the service interleaves them. The token names the last event
 * returned, so paging survives new events arriving between pages.
 *
 * A page is merged from one cursor per stream and stops when full: reading a page costs its own
 * events (times the streams searched), not the whole group, so paging through a large group
 * (`logbeam-local dump` after a benchmark) stays linear. Measured on 400,000 events in 2 streams,
 * 40 pages of 10,000: 0.9 s, against 7.3 s when each page collected and sorted the whole group.
 */
export function filterLogEvents (streams: ReadonlyArray<{ name: string, events: EventLog }>,
  request: Request): Response {
  const names = optional(request, 'logStreamNames', 'object') as unknown[] | undefined
  const prefix = optional(request, 'logStreamNamePrefix', 'string')
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefix.')
  }
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100)) {
    throw invalidParameter("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: " +
      'Member must have length between 1 and 100')
  }
  fail(checkLimit(request.limit, READ_MAX))
  const limit = (request.limit as number | undefined) ?? READ_MAX
  const terms = parseFilterPattern(request.filterPattern)
  const startTime = optional(request, 'startTime', 'number') ?? -Infinity
  const endTime = optional(request, 'endTime', 'number') ?? Infinity
  const after = parseFilterToken(request.nextToken)
  const searched = streams
    .filter((s) => names === undefined ? prefix === undefined || s.name.startsWith(prefix) : names.includes(s.name))
    .sort((a, b) => compare(a.name, b.name))
  // The service refuses a listed stream that does not exist rather than searching the others (seen with one name
  // listed, in percona/rds_exporter#81; the same is assumed for one missing among several).
  if (names !== undefined && names.some((name) => !searched.some((s) => s.name === name))) {
    throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.')
  }
  const cursors = searched.map(({ name, events }) =>
    ({ name, events, at: firstAfterKey(events, name, startTime, after) }))
  const page: Array<{ stream: string, index: number, key: string, event: StoredEvent }> = []
  let bytes = 0
  let more = false
  for (let cursor = earliest(cursors, endTime); cursor !== undefined; cursor = earliest(cursors, endTime)) {
    const index = cursor.at++
    const message = cursor.events.message(index)
    if (!matchesTerms(message, terms)) continue
    bytes += pageBytes(message)
    // A page always holds at least one event when one is left.
    if (page.length === limit || (bytes > LIMITS.maxBatchBytes && page.length > 0)) {
      more = true
      break
    }
    page.push({ stream: cursor.name, index, key: cursor.events.key(index), event: cursor.events.event(index) })
  }
  const last = page.at(-1)
  return {
    events: page.map(({ stream, key, event }) => ({
      logStreamName: stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: `${event.timestamp}-${key}-${stream}`
    })),
    searchedLogStreams: searched.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    nextToken: more && last !== undefined
      ? Buffer.from(JSON.stringify([last.event.timestamp, last.stream, last.index])).toString('base64url')
      : undefined
  }
}

interface Cursor { name: string, events: EventLog, at: number }

/** Where a stream's cursor starts: its first event at or after startTime and after the token's event. */
function firstAfterKey (events: EventLog, name: string, startTime: number, after: EventKey | undefined): number {
  const from = events.firstAtOrAfter(startTime)
  if (after === undefined) return from
  const [timestamp, stream, index] = after
  const order = compare(name, stream)
  // Equal timestamps come in stream-name order: an earlier-named stream is done with that instant.
  if (order < 0) return Math.max(from, events.firstAfter(timestamp))
  if (order > 0) return Math.max(from, events.firstAtOrAfter(timestamp))
  return Math.max(from, events.firstAtOrAfter(timestamp), index + 1)
}

/**
 * The cursor whose next event comes first (timestamp, then stream name: cursors are in name
 * order), or undefined when every stream is done or past endTime. A linear scan over the streams:
 * cheap for the tens of streams a test or a run makes; a heap would pay off only with hundreds.
 */
function earliest (cursors: readonly Cursor[], endTime: number): Cursor | undefined {
  let best: Cursor | undefined
  let bestTime = Infinity
  for (const cursor of cursors) {
    if (cursor.at >= cursor.events.length) continue
    const timestamp = cursor.events.timestamp(cursor.at)
    if (timestamp > endTime) continue
    if (best === undefined || timestamp < bestTime) {
      best = cursor
      bestTime = timestamp
    }
  }
  return best
}

/** The service answers at most 1 MB of events (counted like PutLogEvents counts them) per page. */
function pageBytes (message: string): number {
  return Buffer.byteLength(message, 'utf8') + LIMITS.eventOverhead
}

/** End of a page starting at `from`; a page always holds at least one event when one is left. */
function forwardEnd (message: (i: number) => string, from: number, hi: number, limit: number): number {
  let bytes = 0
  let i = from
  while (i < hi && i - from < limit) {
    bytes += pageBytes(message(i))
    if (bytes > LIMITS.maxBatchBytes && i > from) break
    i++
  }
  return i
}

/** Start of a page ending at `to`, the mirror of forwardEnd. */
function backwardStart (message: (i: number) => string, lo: number, to: number, limit: number): number {
  let bytes = 0
  let i = to
  while (i > lo && to - i < limit) {
    bytes += pageBytes(message(i - 1))
    if (bytes > LIMITS.maxBatchBytes && i < to) break
    i--
  }
  return i
}

type EventKey = [number, string, number]

function parseFilterToken (token: unknown): EventKey | undefined {
  if (token === undefined || token === null) return undefined
  try {
    const key = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as unknown
    if (Array.isArray(key) && key.length === 3 && typeof key[0] === 'number' && typeof key[1] === 'string' &&
        Number.isInteger(key[2])) {
      return key as EventKey
    }
  } catch {}
  throw invalidToken()
}
