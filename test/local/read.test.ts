import t from 'tap'
import { clientAt } from './helpers.js'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, GetLogEventsCommand,
  PutLogEventsCommand, type GetLogEventsCommandInput, type InputLogEvent
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from '../../lib/local/index.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const NOW = Date.UTC(2026, 10, 1, 12)

/** Group `g` with the given streams, each filled with its events in batches of `batch`. */
async function setup (t: { teardown: (fn: () => unknown) => void }, streams: Record<string, InputLogEvent[]>, batch = 10_000): Promise<CloudWatchLogsClient> {
  const endpoint = await startLocalEndpoint({ now: () => NOW })
  t.teardown(() => endpoint.close())
  const client = clientAt(t, endpoint.url)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  for (const [name, events] of Object.entries(streams)) {
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }))
    for (let i = 0; i < events.length; i += batch) {
      await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: name, logEvents: events.slice(i, i + batch) }))
    }
  }
  return client
}

function numbered (n: number): InputLogEvent[] {
  return Array.from({ length: n }, (_, i) => ({ timestamp: NOW - n + i, message: `event ${i}` }))
}

async function get (client: CloudWatchLogsClient, input: Partial<GetLogEventsCommandInput>): Promise<{ messages: string[], forward?: string, backward?: string }> {
  const res = await client.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', ...input }))
  return { messages: (res.events ?? []).map((e) => e.message!), forward: res.nextForwardToken, backward: res.nextBackwardToken }
}

t.test('GetLogEvents without startFromHead returns the LAST events, oldest first', async (t) => {
  const client = await setup(t, { s: numbered(10) })
  t.same((await get(client, { limit: 3 })).messages, ['event 7', 'event 8', 'event 9'])
})

t.test('GetLogEvents with startFromHead returns the first events', async (t) => {
  const client = await setup(t, { s: numbered(10) })
  t.same((await get(client, { limit: 3, startFromHead: true })).messages, ['event 0', 'event 1', 'event 2'])
})

t.test('GetLogEvents returns at most 10,000 events by default', async (t) => {
  const client = await setup(t, { s: numbered(10_005) })
  const tail = await get(client, {})
  t.equal(tail.messages.length, 10_000)
  t.equal(tail.messages[0], 'event 5')
  const head = await get(client, { startFromHead: true })
  t.equal(head.messages.length, 10_000)
  t.equal(head.messages.at(-1), 'event 9999')
})

t.test('paging forward reads everything, then the same token comes back', async (t) => {
  const client = await setup(t, { s: numbered(25) })
  const seen: string[] = []
  let page = await get(client, { limit: 10, startFromHead: true })
  let token: string | undefined
  while (page.forward !== token) {
    seen.push(...page.messages)
    token = page.forward
    page = await get(client, { limit: 10, nextToken: token })
  }
  t.same(seen, numbered(25).map((e) => e.message))
  t.same(page.messages, [])
})

t.test('paging backward from the tail reads everything in reverse page order', async (t) => {
  const client = await setup(t, { s: numbered(25) })
  const pages: string[][] = []
  let page = await get(client, { limit: 10 })
  let token: string | undefined
  while (page.backward !== token) {
    pages.unshift(page.messages)
    token = page.backward
    page = await get(client, { limit: 10, nextToken: token })
  }
  t.same(pages.flat(), numbered(25).map((e) => e.message))
})

t.test('GetLogEvents startTime is inclusive and endTime exclusive', async (t) => {
  const client = await setup(t, { s: numbered(10) })
  const { messages } = await get(client, { startTime: NOW - 8, endTime: NOW - 5, startFromHead: true })
  t.same(messages, ['event 2', 'event 3', 'event 4'])
})

t.test('a page holds at most 1 MB of events', async (t) => {
  const big = 'x'.repeat(400_000)
  const client = await setup(t, { s: [0, 1, 2].map((i) => ({ timestamp: NOW + i, message: `${i}${big}` })) }, 1)
  const first = await get(client, { startFromHead: true })
  t.same(first.messages.map((m) => m[0]), ['0', '1'])
  const second = await get(client, { nextToken: first.forward })
  t.same(second.messages.map((m) => m[0]), ['2'])
})

t.test('a malformed token is InvalidParameterException', async (t) => {
  const client = await setup(t, { s: numbered(1) })
  await t.rejects(get(client, { nextToken: 'garbage' }), { name: 'InvalidParameterException' })
})

t.test('FilterLogEvents: every term must appear, across streams in timestamp order', async (t) => {
  const client = await setup(t, {
    a: [{ timestamp: NOW - 3, message: 'ERROR db timeout' }, { timestamp: NOW - 1, message: 'ERROR disk full' }],
    b: [{ timestamp: NOW - 2, message: 'db ERROR again' }, { timestamp: NOW, message: 'INFO db ok' }]
  })
  const res = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: 'ERROR db' }))
  t.same(res.events?.map((e) => [e.logStreamName, e.message]), [['a', 'ERROR db timeout'], ['b', 'db ERROR again']])
  t.equal(res.nextToken, undefined)
})

t.test('FilterLogEvents: a quoted phrase matches as a whole', async (t) => {
  const client = await setup(t, { s: [{ timestamp: NOW - 1, message: 'connection reset by peer' }, { timestamp: NOW, message: 'reset connection' }] })
  const res = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: '"connection reset"' }))
  t.same(res.events?.map((e) => e.message), ['connection reset by peer'])
})

t.test('FilterLogEvents: logStreamNames and an inclusive time range narrow the search', async (t) => {
  const client = await setup(t, { a: numbered(10), b: numbered(10) })
  const res = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', logStreamNames: ['b'], startTime: NOW - 8, endTime: NOW - 6 }))
  t.same(res.events?.map((e) => [e.logStreamName, e.message]), [['b', 'event 2'], ['b', 'event 3'], ['b', 'event 4']])
})

t.test('FilterLogEvents pages with nextToken until it is absent', async (t) => {
  const client = await setup(t, { a: numbered(7), b: numbered(7) })
  const seen: string[] = []
  let nextToken: string | undefined
  do {
    const res = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', limit: 4, nextToken }))
    seen.push(...(res.events ?? []).map((e) => `${e.logStreamName}:${e.message}`))
    nextToken = res.nextToken
  } while (nextToken !== undefined)
  t.same(seen, numbered(7).flatMap((e) => [`a:${e.message}`, `b:${e.message}`]))
})

t.test('FilterLogEvents refuses pattern syntax it does not implement', async (t) => {
  const client = await setup(t, { s: numbered(1) })
  await t.rejects(client.send(new FilterLogEventsCommand({ logGroupName: 'g', filterPattern: '{ $.level = "error" }' })), { name: 'InvalidParameterException' })
})
