import { LIMITS } from '../limits.js'
import type { EventLog, StoredEvent } from './events.js'
import {
  type Request, type Response, checkLimit, compare, fail, invalidParameter, matchesTerms, optional, parseFilterPattern
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
 * stream name, then position). The token names the last event returned, so paging survives new
 * events arriving between pages.
 */
export function filterLogEvents (streams: ReadonlyArray<{ name: string, events: EventLog }>, request: Request): Response {
  const names = optional(request, 'logStreamNames', 'object') as unknown[] | undefined
  const prefix = optional(request, 'logStreamNamePrefix', 'string')
  if (names !== undefined && prefix !== undefined) throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefix.')
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100)) {
    throw invalidParameter("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100")
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
  const found: Array<{ stream: string, index: number, event: StoredEvent }> = []
  for (const { name, events } of searched) {
    for (let i = events.firstAtOrAfter(Math.max(startTime, after?.[0] ?? -Infinity)); i < events.length; i++) {
      const timestamp = events.timestamp(i)
      if (timestamp > endTime) break
      if (after !== undefined && compareKey([timestamp, name, i], after) <= 0) continue
      const event = events.event(i)
      if (matchesTerms(event.message, terms)) found.push({ stream: name, index: i, event })
    }
  }
  // Streams were walked in name order and each in position order; a stable sort keeps that.
  found.sort((a, b) => a.event.timestamp - b.event.timestamp)
  const end = forwardEnd((i) => found[i]!.event.message, 0, found.length, limit)
  const last = found[end - 1]
  return {
    events: found.slice(0, end).map(({ stream, index, event }) => ({
      logStreamName: stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: `${event.timestamp}-${index}-${stream}`
    })),
    searchedLogStreams: searched.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    nextToken: end < found.length && last !== undefined
      ? Buffer.from(JSON.stringify([last.event.timestamp, last.stream, last.index])).toString('base64url')
      : undefined
  }
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
    if (Array.isArray(key) && key.length === 3 && typeof key[0] === 'number' && typeof key[1] === 'string' && Number.isInteger(key[2])) {
      return key as EventKey
    }
  } catch {}
  throw invalidToken()
}

function compareKey (a: EventKey, b: EventKey): number {
  return a[0] - b[0] || compare(a[1], b[1]) || a[2] - b[2]
}
