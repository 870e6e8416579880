import {
  CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand
} from '@aws-sdk/client-cloudwatch-logs'

/**
 * The read side for shells: what a running endpoint stored, read through the public API only, as
 * any CloudWatch Logs client would (so it also shows what such a client sees).
 */

export interface DumpedEvent { logStreamName: string, timestamp: number, ingestionTime?: number, message: string }

export interface StreamSummary {
  logStreamName: string
  events: number
  storedBytes?: number
  firstEventTimestamp?: number
  lastEventTimestamp?: number
}

export interface GroupSummary {
  logGroupName: string
  deletionProtectionEnabled?: boolean
  kmsKeyId?: string
  streams: StreamSummary[]
}

type GroupSettings = Omit<GroupSummary, 'streams'>

type OutputEvent = { timestamp?: number, ingestionTime?: number, message?: string }

/** A client for a local endpoint: its credentials and region are never checked, but must be there. */
export function localClient (endpoint: string): CloudWatchLogsClient {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
  return new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials })
}

/**
 * A group's events, oldest first, a page at a time. One stream: GetLogEvents from the head (its
 * default is the LAST events), until the forward token comes back unchanged. Every stream:
 * FilterLogEvents, which merges them by time, until no token comes back.
 */
export async function * dumpEvents (client: CloudWatchLogsClient, logGroupName: string, logStreamName?: string)
  : AsyncGenerator<DumpedEvent[]> {
  const dumped = (e: OutputEvent, stream: string): DumpedEvent =>
    ({ logStreamName: stream, timestamp: e.timestamp!, ingestionTime: e.ingestionTime, message: e.message! })
  if (logStreamName !== undefined) {
    let token: string | undefined
    for (;;) {
      const request = { logGroupName, logStreamName, startFromHead: true, nextToken: token }
      const page = await client.send(new GetLogEventsCommand(request))
      const events = page.events ?? []
      if (events.length > 0) yield events.map((e) => dumped(e, logStreamName))
      if (page.nextForwardToken === undefined || page.nextForwardToken === token) return
      token = page.nextForwardToken
    }
  }
  let token: string | undefined
  do {
    const page = await client.send(new FilterLogEventsCommand({ logGroupName, nextToken: token }))
    const events = page.events ?? []
    if (events.length > 0) yield events.map((e) => dumped(e, e.logStreamName!))
    token = page.nextToken
  } while (token !== undefined)
}

/**
 * Every group with its streams and their event counts. The API has no count: the events are read
 * (FilterLogEvents over each group), which takes a while on a store of millions of events.
 */
export async function * listGroups (client: CloudWatchLogsClient): AsyncGenerator<GroupSummary> {
  let token: string | undefined
  do {
    const page = await client.send(new DescribeLogGroupsCommand({ nextToken: token }))
    for (const group of page.logGroups ?? []) {
      const { logGroupName, deletionProtectionEnabled, kmsKeyId } = group
      yield await summarize(client, { logGroupName: logGroupName!, deletionProtectionEnabled, kmsKeyId })
    }
    token = page.nextToken
  } while (token !== undefined)
}

async function summarize (client: CloudWatchLogsClient, settings: GroupSettings): Promise<GroupSummary> {
  const { logGroupName } = settings
  const streams: StreamSummary[] = []
  let token: string | undefined
  do {
    const page = await client.send(new DescribeLogStreamsCommand({ logGroupName, nextToken: token }))
    for (const s of page.logStreams ?? []) {
      streams.push({
        logStreamName: s.logStreamName!,
        events: 0,
        storedBytes: s.storedBytes,
        firstEventTimestamp: s.firstEventTimestamp,
        lastEventTimestamp: s.lastEventTimestamp
      })
    }
    token = page.nextToken
  } while (token !== undefined)
  const byName = new Map(streams.map((s) => [s.logStreamName, s]))
  for await (const events of dumpEvents(client, logGroupName)) {
    for (const event of events) {
      const summary = byName.get(event.logStreamName)
      if (summary !== undefined) summary.events++
    }
  }
  return { ...settings, streams }
}

/** `TIME STREAM MESSAGE`, the time in UTC ISO 8601, the message as stored. */
export function eventLine (event: DumpedEvent, json: boolean): string {
  if (json) return JSON.stringify(event)
  return `${new Date(event.timestamp).toISOString()} ${event.logStreamName} ${event.message}`
}

/**
 * The group's name with the settings it has (deletion protection, KMS key), then each stream indented with its
 * count; or one JSON object per group.
 */
export function groupLines (group: GroupSummary, json: boolean): string[] {
  if (json) return [JSON.stringify(group)]
  const notes: string[] = []
  if (group.deletionProtectionEnabled === true) notes.push('deletion protection')
  if (group.kmsKeyId !== undefined) notes.push(`KMS key ${group.kmsKeyId}`)
  if (group.streams.length === 0) notes.push('no streams')
  const header = notes.length === 0 ? group.logGroupName : `${group.logGroupName} (${notes.join(', ')})`
  if (group.streams.length === 0) return [header]
  const width = Math.max(...group.streams.map((s) => s.logStreamName.length))
  return [
    header,
    ...group.streams.map((s) => `  ${s.logStreamName.padEnd(width)}  ${s.events} event${s.events === 1 ? '' : 's'}`)
  ]
}
