import {
  FilterLogEventsCommand, type CloudWatchLogsClient, type FilterLogEventsCommandInput, type FilteredLogEvent
} from '@aws-sdk/client-cloudwatch-logs'
import { SeenEvents } from './dedupe.js'
import type { CallContext } from './errors.js'
import { groupName, type TailEvent } from './event.js'
import { callWithRetries, pause, type Control } from './retry.js'

/** What FilterLogEvents reads: one group, its streams (names or a prefix), a pattern. */
export interface FilterQuery {
  group: string
  streams?: string[]
  prefix?: string
  filter?: string
}

export interface PollSettings {
  since: number
  until?: number
  follow: boolean
  pollInterval: number
  followLookback: number
}

/**
 * The history from `since` (to `until`), then with `follow` each poll's new events, as pages in order. A page is
 * printed before the next is asked for, so SIGINT ends the reading after the page under way. Each poll ends with an
 * empty page: the moment to print a split line whose last part never came.
 */
export async function * filterEvents (client: CloudWatchLogsClient, query: FilterQuery, poll: PollSettings,
  context: CallContext, control: Control): AsyncGenerator<TailEvent[]> {
  const seen = new SeenEvents()
  const state = { answered: false, follow: poll.follow }
  // The newest event seen, or the time reading began.
  let newest = control.now()
  // Where the next poll starts: the lookback before the newest event, or before now when the newest is ahead of the
  // clock (an event stamped in the future must not move the window past events yet to come). It never moves back.
  const windowStart = (): number => Math.max(poll.since, Math.min(newest, control.now()) - poll.followLookback)
  const read = async function * (startTime: number, endTime?: number): AsyncGenerator<TailEvent[]> {
    let nextToken: string | undefined
    do {
      const input = request(query, startTime, endTime, nextToken)
      const page = await callWithRetries(
        signal => client.send(new FilterLogEventsCommand(input), { abortSignal: signal }),
        context, control, state)
      if (page === undefined) return
      const events = select(page.events ?? [], query)
      // Only polls read events twice; a history alone keeps no IDs (it may hold millions).
      const fresh = poll.follow ? events.filter(e => seen.firstTime(e)) : events
      for (const event of fresh) newest = Math.max(newest, event.timestamp)
      // No poll starts before the window: older IDs can go now, so a long history does not pile them up.
      seen.forgetBefore(windowStart())
      yield fresh
      nextToken = page.nextToken
    } while (nextToken !== undefined && !control.stopped())
  }
  yield * read(poll.since, poll.until)
  while (poll.follow && !control.stopped()) {
    await pause(poll.pollInterval, control.signal)
    if (control.stopped()) return
    yield * read(windowStart())
    yield []
  }
}

function request (query: FilterQuery, startTime: number, endTime: number | undefined, nextToken: string | undefined):
FilterLogEventsCommandInput {
  return {
    logGroupName: query.group.startsWith('arn:') ? undefined : query.group,
    logGroupIdentifier: query.group.startsWith('arn:') ? query.group.replace(/:\*$/, '') : undefined,
    logStreamNames: query.streams,
    logStreamNamePrefix: query.prefix,
    filterPattern: query.filter,
    startTime,
    // FilterLogEvents' endTime is inclusive: --until 10:00 prints an event of 10:00:00.000.
    endTime,
    nextToken,
    // Ignored by the service (which always interleaves, since 2019), heeded by moto, which otherwise pages
    // stream by stream.
    interleaved: true
  }
}

/**
 * A page as tail prints it: events of the selected streams only (moto ignores the prefix), ordered by timestamp
 * (a stable sort: equal times keep the service's order; an endpoint that pages stream by stream is interleaved).
 */
function select (events: FilteredLogEvent[], query: FilterQuery): TailEvent[] {
  const out: TailEvent[] = []
  const group = groupName(query.group)
  for (const e of events) {
    const stream = e.logStreamName ?? ''
    if (query.streams !== undefined && !query.streams.includes(stream)) continue
    if (query.prefix !== undefined && !stream.startsWith(query.prefix)) continue
    const event: TailEvent = { group, stream, timestamp: e.timestamp ?? 0, message: e.message ?? '' }
    if (e.ingestionTime !== undefined) event.ingestionTime = e.ingestionTime
    if (e.eventId !== undefined) event.id = e.eventId
    out.push(event)
  }
  return out.sort((a, b) => a.timestamp - b.timestamp)
}
