import { LIMITS } from '../limits.js'
import {
  type AcceptedBatch, ServiceError, LOG_GROUP_CLASSES, checkLimit, checkLogGroupName, checkLogStreamName,
  checkNewLogGroupName, checkRetentionInDays, invalidParameter, matchesTerms, parseFilterPattern, validatePutLogEvents
} from './rules.js'

/** Groups, streams and events, and the operations on them. No I/O: the caller passes the clock. */

export interface StoredEvent { timestamp: number, message: string, ingestionTime: number }

export type Request = Record<string, unknown>
export type Response = Record<string, unknown>

interface Stream {
  name: string
  creationTime: number
  /** Sorted by timestamp; equal timestamps stay in arrival order. */
  events: StoredEvent[]
  storedBytes: number
  lastIngestionTime?: number
  puts: number
}

interface Group {
  name: string
  creationTime: number
  logGroupClass: string
  kmsKeyId?: string
  tags: Record<string, string>
  retentionInDays?: number
  streams: Map<string, Stream>
}

const ARN_PREFIX = 'arn:aws:logs:us-east-1:123456789012:log-group:'
const DESCRIBE_MAX = 50
const READ_MAX = 10_000

export const groupNotFound = (): ServiceError => new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.')
export const streamNotFound = (): ServiceError => new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.')
const invalidToken = (): ServiceError => invalidParameter('The specified nextToken is invalid.')

export interface LogStoreOptions {
  /**
   * Create a missing group or stream on PutLogEvents instead of answering ResourceNotFoundException.
   * @default false
   */
  autoCreate?: boolean
}

export class LogStore {
  readonly #groups = new Map<string, Group>()
  readonly #autoCreate: boolean

  constructor (options: LogStoreOptions = {}) {
    this.#autoCreate = options.autoCreate ?? false
  }

  createLogGroup (request: Request, now: number): Response {
    const name = request.logGroupName
    fail(checkNewLogGroupName(name))
    const logGroupClass = optional(request, 'logGroupClass', 'string') ?? 'STANDARD'
    if (!(LOG_GROUP_CLASSES as readonly string[]).includes(logGroupClass)) {
      throw invalidParameter(`1 validation error detected: Value '${logGroupClass}' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`)
    }
    const tags = optional(request, 'tags', 'object') as Record<string, string> | undefined
    if (this.#groups.has(name as string)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists')
    this.#addGroup(name as string, now, logGroupClass, optional(request, 'kmsKeyId', 'string'), tags)
    return {}
  }

  createLogStream (request: Request, now: number): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName))
    const group = this.#group(request.logGroupName as string)
    if (group.streams.has(request.logStreamName as string)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists')
    addStream(group, request.logStreamName as string, now)
    return {}
  }

  deleteLogGroup (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName))
    this.#group(request.logGroupName as string)
    this.#groups.delete(request.logGroupName as string)
    return {}
  }

  deleteLogStream (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName))
    const group = this.#group(request.logGroupName as string)
    streamOf(group, request.logStreamName as string)
    group.streams.delete(request.logStreamName as string)
    return {}
  }

  putRetentionPolicy (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkRetentionInDays(request.retentionInDays))
    this.#group(request.logGroupName as string).retentionInDays = request.retentionInDays as number
    return {}
  }

  deleteRetentionPolicy (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName))
    delete this.#group(request.logGroupName as string).retentionInDays
    return {}
  }

  describeLogGroups (request: Request): Response {
    const prefix = optional(request, 'logGroupNamePrefix', 'string')
    const pattern = optional(request, 'logGroupNamePattern', 'string')
    const logGroupClass = optional(request, 'logGroupClass', 'string')
    if (prefix !== undefined && pattern !== undefined) throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.')
    fail(checkLimit(request.limit, DESCRIBE_MAX))
    const needle = pattern?.toLowerCase()
    const groups = [...this.#groups.values()]
      .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) &&
        (needle === undefined || g.name.toLowerCase().includes(needle)) &&
        (logGroupClass === undefined || g.logGroupClass === logGroupClass))
      .sort((a, b) => compare(a.name, b.name))
    const { items, nextToken } = page(groups, request.nextToken, (request.limit as number | undefined) ?? DESCRIBE_MAX)
    return {
      logGroups: items.map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        retentionInDays: g.retentionInDays,
        metricFilterCount: 0,
        arn: `${ARN_PREFIX}${g.name}:*`,
        storedBytes: [...g.streams.values()].reduce((sum, s) => sum + s.storedBytes, 0),
        kmsKeyId: g.kmsKeyId,
        logGroupClass: g.logGroupClass,
        logGroupArn: `${ARN_PREFIX}${g.name}`
      })),
      nextToken
    }
  }

  describeLogStreams (request: Request): Response {
    const group = this.#groupFrom(request)
    const prefix = optional(request, 'logStreamNamePrefix', 'string')
    const orderBy = optional(request, 'orderBy', 'string') ?? 'LogStreamName'
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw invalidParameter(`1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`)
    }
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.')
    fail(checkLimit(request.limit, DESCRIBE_MAX))
    const lastEvent = (s: Stream): number => s.events[s.events.length - 1]?.timestamp ?? 0
    const streams = [...group.streams.values()]
      .filter((s) => prefix === undefined || s.name.startsWith(prefix))
      .sort((a, b) => orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) || compare(a.name, b.name) : compare(a.name, b.name))
    if (optional(request, 'descending', 'boolean') === true) streams.reverse()
    const { items, nextToken } = page(streams, request.nextToken, (request.limit as number | undefined) ?? DESCRIBE_MAX)
    return {
      logStreams: items.map((s) => ({
        logStreamName: s.name,
        creationTime: s.creationTime,
        firstEventTimestamp: s.events[0]?.timestamp,
        lastEventTimestamp: s.events[s.events.length - 1]?.timestamp,
        lastIngestionTime: s.lastIngestionTime,
        uploadSequenceToken: sequenceToken(s),
        arn: `${ARN_PREFIX}${group.name}:log-stream:${s.name}`,
        storedBytes: s.storedBytes
      })),
      nextToken
    }
  }

  /** Existence is checked before the events, so a missing stream wins over a bad batch. */
  putLogEvents (request: Request, now: number): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName))
    const groupName = request.logGroupName as string
    const streamName = request.logStreamName as string
    let group = this.#groups.get(groupName)
    let stream = group?.streams.get(streamName)
    if (!this.#autoCreate && group === undefined) throw groupNotFound()
    if (!this.#autoCreate && stream === undefined) throw streamNotFound()
    const verdict = validatePutLogEvents(request, now, group?.retentionInDays)
    if (!verdict.ok) throw invalidParameter(verdict.message)
    group ??= this.#addGroup(groupName, now)
    stream ??= addStream(group, streamName, now)
    append(stream, verdict.batch, now)
    const rejected = verdict.batch.rejected
    return rejected === undefined
      ? { nextSequenceToken: sequenceToken(stream) }
      : { nextSequenceToken: sequenceToken(stream), rejectedLogEventsInfo: rejected }
  }

  /**
   * Like the service: without a token, startFromHead picks the first events, otherwise (the
   * default) the LAST ones. A token is `f/<index>` or `b/<index>` into the stream and carries its
   * own direction; at either end the same token comes back, which is how a reader knows it is done.
   * A page holds at most `limit` events (default 10,000) and 1 MB.
   */
  getLogEvents (request: Request): Response {
    const group = this.#groupFrom(request)
    fail(checkLogStreamName(request.logStreamName))
    const events = streamOf(group, request.logStreamName as string).events
    fail(checkLimit(request.limit, READ_MAX))
    const limit = (request.limit as number | undefined) ?? READ_MAX
    const startTime = optional(request, 'startTime', 'number')
    const endTime = optional(request, 'endTime', 'number')
    const lo = startTime === undefined ? 0 : firstAtOrAfter(events, startTime)
    // endTime is exclusive in GetLogEvents (and inclusive in FilterLogEvents), as documented.
    const hi = Math.max(lo, endTime === undefined ? events.length : firstAtOrAfter(events, endTime))
    let from: number
    let to: number
    const token = request.nextToken
    if (token !== undefined && token !== null) {
      const match = typeof token === 'string' ? /^([fb])\/(\d{1,15})$/.exec(token) : null
      if (match === null) throw invalidToken()
      const at = Math.min(Math.max(Number(match[2]), lo), hi)
      if (match[1] === 'f') {
        from = at
        to = forwardEnd(events, from, hi, limit)
      } else {
        to = at
        from = backwardStart(events, lo, to, limit)
      }
    } else if (optional(request, 'startFromHead', 'boolean') === true) {
      from = lo
      to = forwardEnd(events, from, hi, limit)
    } else {
      to = hi
      from = backwardStart(events, lo, to, limit)
    }
    return {
      events: events.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: `f/${to}`,
      nextBackwardToken: `b/${from}`
    }
  }

  /**
   * Events of the chosen streams that hold every term, merged by timestamp (then stream name, then
   * position). The token names the last event returned, so paging survives new events arriving.
   */
  filterLogEvents (request: Request): Response {
    const group = this.#groupFrom(request)
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
    const streams = [...group.streams.values()]
      .filter((s) => names === undefined ? prefix === undefined || s.name.startsWith(prefix) : names.includes(s.name))
      .sort((a, b) => compare(a.name, b.name))
    const found: Array<{ stream: string, index: number, event: StoredEvent }> = []
    for (const stream of streams) {
      const events = stream.events
      for (let i = firstAtOrAfter(events, Math.max(startTime, after?.[0] ?? -Infinity)); i < events.length; i++) {
        const event = events[i]!
        if (event.timestamp > endTime) break
        if (after !== undefined && compareKey([event.timestamp, stream.name, i], after) <= 0) continue
        if (matchesTerms(event.message, terms)) found.push({ stream: stream.name, index: i, event })
      }
    }
    // Streams were walked in name order and each in position order; a stable sort keeps that.
    found.sort((a, b) => a.event.timestamp - b.event.timestamp)
    const end = forwardEnd(found.map((f) => f.event), 0, found.length, limit)
    const last = found[end - 1]
    return {
      events: found.slice(0, end).map(({ stream, index, event }) => ({
        logStreamName: stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: `${event.timestamp}-${index}-${stream}`
      })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
      nextToken: end < found.length && last !== undefined
        ? Buffer.from(JSON.stringify([last.event.timestamp, last.stream, last.index])).toString('base64url')
        : undefined
    }
  }

  /** Names in the order DescribeLogGroups lists them. */
  groupNames (): string[] {
    return [...this.#groups.keys()].sort(compare)
  }

  streamNames (group: string): string[] {
    return [...(this.#groups.get(group)?.streams.keys() ?? [])].sort(compare)
  }

  /** Copies, so a test cannot change what is stored. */
  events (group: string, stream: string): StoredEvent[] {
    const events = this.#groups.get(group)?.streams.get(stream)?.events ?? []
    return events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime }))
  }

  /** Removes a group as someone else would; a missing one is no error. */
  removeGroup (name: string): void {
    this.#groups.delete(name)
  }

  #addGroup (name: string, now: number, logGroupClass = 'STANDARD', kmsKeyId?: string, tags: Record<string, string> = {}): Group {
    const group: Group = { name, creationTime: now, logGroupClass, tags: { ...tags }, streams: new Map() }
    if (kmsKeyId !== undefined) group.kmsKeyId = kmsKeyId
    this.#groups.set(name, group)
    return group
  }

  #group (name: string): Group {
    const group = this.#groups.get(name)
    if (group === undefined) throw groupNotFound()
    return group
  }

  /** The read operations take a name or an identifier (name or ARN), not both. */
  #groupFrom (request: Request): Group {
    const { logGroupName, logGroupIdentifier } = request
    if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
      throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.')
    }
    if (logGroupIdentifier === undefined) {
      fail(checkLogGroupName(logGroupName))
      return this.#group(logGroupName as string)
    }
    if (typeof logGroupIdentifier !== 'string') fail(checkLogGroupName(logGroupIdentifier, 'logGroupIdentifier'))
    const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(logGroupIdentifier as string)
    const name = arn === null ? logGroupIdentifier as string : arn[1]!
    fail(checkLogGroupName(name, 'logGroupIdentifier'))
    return this.#group(name)
  }
}

function fail (message: string | undefined): void {
  if (message !== undefined) throw invalidParameter(message)
}

/** A field of the JSON request, checked for its JSON type; a wrong type is a serialization error. */
function optional (request: Request, field: string, type: 'string'): string | undefined
function optional (request: Request, field: string, type: 'number'): number | undefined
function optional (request: Request, field: string, type: 'boolean'): boolean | undefined
function optional (request: Request, field: string, type: 'object'): object | undefined
function optional (request: Request, field: string, type: 'string' | 'number' | 'boolean' | 'object'): unknown {
  const value = request[field]
  if (value === undefined || value === null) return undefined
  const actual = typeof value
  if (actual !== type) throw new ServiceError('SerializationException', `Unexpected value type for '${field}': expected ${type}`)
  return value
}

function addStream (group: Group, name: string, now: number): Stream {
  const stream: Stream = { name, creationTime: now, events: [], storedBytes: 0, puts: 0 }
  group.streams.set(name, stream)
  return stream
}

function streamOf (group: Group, name: string): Stream {
  const stream = group.streams.get(name)
  if (stream === undefined) throw streamNotFound()
  return stream
}

/** The service's tokens are long digit strings; callers must only pass them back, never parse them. */
function sequenceToken (stream: Stream): string {
  return `4${String(stream.puts).padStart(55, '0')}`
}

/**
 * Batches usually arrive in time order, so they are appended; a batch older than the stream's end
 * (parallel puts) is merged into the tail it overlaps, stored events first on equal timestamps.
 */
function append (stream: Stream, batch: AcceptedBatch, now: number): void {
  stream.puts++
  const { events: input, start, end } = batch
  if (start === end) return
  const stored = stream.events
  const first = input[start]!.timestamp
  if (stored.length === 0 || stored[stored.length - 1]!.timestamp <= first) {
    for (let i = start; i < end; i++) stored.push({ timestamp: input[i]!.timestamp, message: input[i]!.message, ingestionTime: now })
  } else {
    const tail = stored.splice(firstAfter(stored, first))
    let t = 0
    for (let i = start; i < end; i++) {
      const event = input[i]!
      while (t < tail.length && tail[t]!.timestamp <= event.timestamp) stored.push(tail[t++]!)
      stored.push({ timestamp: event.timestamp, message: event.message, ingestionTime: now })
    }
    while (t < tail.length) stored.push(tail[t++]!)
  }
  stream.storedBytes += batch.messageBytes
  stream.lastIngestionTime = now
}

/** Index of the first event with timestamp >= t. */
function firstAtOrAfter (events: readonly StoredEvent[], t: number): number {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (events[mid]!.timestamp < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first event with timestamp > t. */
function firstAfter (events: readonly StoredEvent[], t: number): number {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (events[mid]!.timestamp <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The service answers at most 1 MB of events (counted like PutLogEvents counts them) per page. */
function pageBytes (event: StoredEvent): number {
  return Buffer.byteLength(event.message, 'utf8') + LIMITS.eventOverhead
}

function forwardEnd (events: readonly StoredEvent[], from: number, hi: number, limit: number): number {
  let bytes = 0
  let i = from
  while (i < hi && i - from < limit) {
    bytes += pageBytes(events[i]!)
    if (bytes > LIMITS.maxBatchBytes && i > from) break
    i++
  }
  return i
}

function backwardStart (events: readonly StoredEvent[], lo: number, to: number, limit: number): number {
  let bytes = 0
  let i = to
  while (i > lo && to - i < limit) {
    bytes += pageBytes(events[i - 1]!)
    if (bytes > LIMITS.maxBatchBytes && i < to) break
    i--
  }
  return i
}

/** Describe operations page by position; the token is opaque to callers. */
function page<T> (items: T[], token: unknown, limit: number): { items: T[], nextToken?: string } {
  let from = 0
  if (token !== undefined && token !== null) {
    const match = typeof token === 'string' ? /^o\/(\d{1,15})$/.exec(token) : null
    if (match === null) throw invalidToken()
    from = Number(match[1])
  }
  const to = from + limit
  return to < items.length ? { items: items.slice(from, to), nextToken: `o/${to}` } : { items: items.slice(from) }
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

/** Plain code-unit order, like the service's listing (not locale order). */
function compare (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
