import { randomUUID } from 'node:crypto'
import {
  type Request, type Response, ServiceError, checkLogGroupName, checkLogStreamName, constraintMessage, fail,
  invalidParameter, matchesTerms, optional, parseFilterPattern
} from './rules.js'

/** StartLiveTail's rules, what a session matches, and how an update is sampled. Pure: the clock is passed in. */

/** The service's limits for one session, as its API reference states them. */
export const LIVE_TAIL = {
  /** Log groups in one session. */
  maxGroups: 10,
  /** Stream names, or stream name prefixes, in one session. */
  maxStreams: 100,
  /** Events in one sessionUpdate; past it the service samples and says so (`sampled: true`). */
  maxEventsPerUpdate: 500,
  /** One sessionUpdate a second, empty ones included. */
  updateIntervalMs: 1000,
  /** A session ends with SessionTimeoutException after three hours. */
  sessionTimeoutMs: 3 * 60 * 60 * 1000
} as const

/** What a session selects, resolved from its request. */
export interface LiveTailFilter {
  /** Group name -> the identifier (ARN) the request named it by, which each event carries back. */
  groups: ReadonlyMap<string, string>
  streamNames?: readonly string[]
  streamNamePrefixes?: readonly string[]
  terms: readonly string[]
}

/** A checked StartLiveTail request: the sessionStart event to send first, and the filter of the session. */
export interface LiveTailStart extends Response {
  sessionStart: Record<string, unknown>
  filter: LiveTailFilter
}

export interface LiveTailEvent {
  logStreamName: string
  logGroupIdentifier: string
  message: string
  timestamp: number
  ingestionTime: number
}

const ARN = /^arn:[a-z-]+:logs:[^:]*:[^:]*:log-group:([^:*]+)$/

function stringList (request: Request, field: string, max: number): string[] | undefined {
  const list = optional(request, field, 'object') as unknown[] | undefined
  if (list === undefined) return undefined
  if (!Array.isArray(list) || list.some(item => typeof item !== 'string')) {
    throw new ServiceError('SerializationException', `Unexpected value type for '${field}': expected a list of strings`)
  }
  if (list.length < 1 || list.length > max) {
    throw invalidParameter(constraintMessage(`[${list.join(', ')}]`, field, `have length between 1 and ${max}`))
  }
  return list as string[]
}

/**
 * Checks a StartLiveTail request against the groups that exist, the way the service's documentation states the
 * rules: 1 to 10 groups given by ARN (not ending in `*`), stream names or prefixes (not both) only with one group.
 * The filter pattern is the endpoint's subset (parseFilterPattern): anything else is refused, not matched wrongly.
 */
export function checkLiveTailRequest (request: Request, groupExists: (name: string) => boolean): LiveTailStart {
  const identifiers = stringList(request, 'logGroupIdentifiers', LIVE_TAIL.maxGroups)
  if (identifiers === undefined) fail(constraintMessage(undefined, 'logGroupIdentifiers', 'not be null'))
  const groups = new Map<string, string>()
  for (const identifier of identifiers!) {
    const name = ARN.exec(identifier)?.[1]
    if (name === undefined) {
      throw invalidParameter(`Specify each log group by its ARN, not ending with '*': ${identifier}`)
    }
    fail(checkLogGroupName(name, 'logGroupIdentifiers'))
    if (!groupExists(name)) {
      throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.')
    }
    groups.set(name, identifier)
  }
  const streamNames = stringList(request, 'logStreamNames', LIVE_TAIL.maxStreams)
  const streamNamePrefixes = stringList(request, 'logStreamNamePrefixes', LIVE_TAIL.maxStreams)
  if (streamNames !== undefined && streamNamePrefixes !== undefined) {
    throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefixes.')
  }
  if ((streamNames ?? streamNamePrefixes) !== undefined && groups.size > 1) {
    throw invalidParameter('logStreamNames and logStreamNamePrefixes can be specified only with a single log group.')
  }
  for (const name of streamNames ?? []) fail(checkLogStreamName(name, 'logStreamNames'))
  const pattern = optional(request, 'logEventFilterPattern', 'string')
  const terms = parseFilterPattern(pattern)
  const filter: LiveTailFilter = { groups, terms }
  if (streamNames !== undefined) filter.streamNames = streamNames
  if (streamNamePrefixes !== undefined) filter.streamNamePrefixes = streamNamePrefixes
  const sessionStart = {
    requestId: randomUUID(),
    sessionId: randomUUID(),
    logGroupIdentifiers: identifiers,
    logStreamNames: streamNames,
    logStreamNamePrefixes: streamNamePrefixes,
    logEventFilterPattern: pattern
  }
  return { sessionStart, filter }
}

/** The events of one PutLogEvents that a session shows: those of its groups and streams that match its pattern. */
export function selectEvents (filter: LiveTailFilter, group: string, stream: string,
  events: ReadonlyArray<{ timestamp: number, message: string }>, ingestionTime: number): LiveTailEvent[] {
  const identifier = filter.groups.get(group)
  if (identifier === undefined) return []
  if (filter.streamNames !== undefined && !filter.streamNames.includes(stream)) return []
  if (filter.streamNamePrefixes !== undefined && !filter.streamNamePrefixes.some(p => stream.startsWith(p))) return []
  const out: LiveTailEvent[] = []
  for (const { timestamp, message } of events) {
    if (matchesTerms(message, filter.terms)) {
      out.push({ logStreamName: stream, logGroupIdentifier: identifier, message, timestamp, ingestionTime })
    }
  }
  return out
}

/**
 * One second's events as a sessionUpdate: all of them, or, past `max`, `max` of them spread evenly over the second
 * (in their order) with `sampled: true`, which is all the service says about sampling.
 */
export function sessionUpdate (events: readonly LiveTailEvent[], max: number = LIVE_TAIL.maxEventsPerUpdate): Response {
  if (events.length <= max) return { sessionMetadata: { sampled: false }, sessionResults: events }
  const picked: LiveTailEvent[] = []
  for (let i = 0; i < max; i++) picked.push(events[Math.floor(i * events.length / max)]!)
  return { sessionMetadata: { sampled: true }, sessionResults: picked }
}

/**
 * The events a PutLogEvents call stored: its events minus those its answer reports as refused for their time
 * (too old or expired at the start, too new at the end; the indexes are inclusive, see RejectedLogEventsInfo).
 */
export function storedEvents (request: Request, response: Response): Array<{ timestamp: number, message: string }> {
  const events = request.logEvents as Array<{ timestamp: number, message: string }>
  const rejected = response.rejectedLogEventsInfo as Record<string, number | undefined> | undefined
  if (rejected === undefined) return events
  const start = Math.max(rejected.tooOldLogEventEndIndex ?? -1, rejected.expiredLogEventEndIndex ?? -1) + 1
  return events.slice(start, rejected.tooNewLogEventStartIndex ?? events.length)
}
