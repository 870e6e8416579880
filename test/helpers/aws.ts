import {
  CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand, type CloudWatchLogsClientConfig
} from '@aws-sdk/client-cloudwatch-logs'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }

/** Plain client settings for a local endpoint, as a transport option. */
export function clientConfig (endpoint: string): { endpoint: string, region: string, credentials: typeof credentials } {
  return { endpoint, region: 'us-east-1', credentials }
}

/** A client of a local endpoint that does not retry by itself; `extra` adds settings (`disableHostPrefix`, ...). */
export function client (endpoint: string, extra: CloudWatchLogsClientConfig = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...clientConfig(endpoint), maxAttempts: 1, ...extra })
}

/**
 * A client that changes one byte of each request body after the SDK signed it (the length stays): what a body that
 * was not the one signed looks like. `marker` is the text whose first character is changed.
 */
export function tamperingClient (endpoint: string, marker: string, extra: CloudWatchLogsClientConfig = {}): CloudWatchLogsClient {
  const c = client(endpoint, extra)
  c.middlewareStack.add(next => async args => {
    const request = args.request as { body: string | Uint8Array }
    const body = Buffer.from(request.body)
    const at = body.indexOf(marker)
    if (at >= 0) body[at] = body[at] === 0x58 ? 0x59 : 0x58 // X, else Y
    request.body = body
    return next(args)
  }, { step: 'deserialize', priority: 'high', name: 'tamperAfterSigning' })
  return c
}

/** Every event of a stream, from the head, paging until the token stops moving. */
export async function readAll (endpoint: string, logGroupName: string, logStreamName: string,
  extra: CloudWatchLogsClientConfig = {}): Promise<Array<{ timestamp: number, message: string }>> {
  const c = client(endpoint, extra)
  const out: Array<{ timestamp: number, message: string }> = []
  let token: string | undefined
  for (;;) {
    const page = await c.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken: token }))
    for (const e of page.events ?? []) out.push({ timestamp: e.timestamp!, message: e.message! })
    if (!page.nextForwardToken || page.nextForwardToken === token) break
    token = page.nextForwardToken
  }
  c.destroy()
  return out
}

export async function streamNames (endpoint: string, logGroupName: string): Promise<string[]> {
  const c = client(endpoint)
  const out = await c.send(new DescribeLogStreamsCommand({ logGroupName }))
  c.destroy()
  return (out.logStreams ?? []).map(s => s.logStreamName!)
}

/** The `seq` field of each stored pino line. */
export function seqs (events: Array<{ message: string }>): number[] {
  return events.map(e => JSON.parse(e.message).seq as number)
}

export function range (n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
