import t from 'tap'
import { clientAt } from './helpers.js'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand,
  type FilterLogEventsCommandInput, type InputLogEvent
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from '../../lib/local/index.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const NOW = Date.UTC(2026, 10, 1, 12)

/** Group `g` with the given streams; each event is `[offset from NOW, message]`. */
async function setup (t: { teardown: (fn: () => unknown) => void }, streams: Record<string, Array<[number, string]>>) {
  const endpoint = await startLocalEndpoint({ now: () => NOW })
  t.teardown(() => endpoint.close())
  const client = clientAt(t, endpoint.url)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  for (const [name, events] of Object.entries(streams)) {
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }))
    if (events.length > 0) await put(client, name, events.map(([at, message]) => ({ timestamp: NOW + at, message })))
  }
  return { endpoint, client }
}

async function put (client: CloudWatchLogsClient, logStreamName: string, logEvents: InputLogEvent[]): Promise<void> {
  await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName, logEvents }))
}

/** Every page of a FilterLogEvents, as `stream:message`, and how many pages it took. */
async function filterAll (client: CloudWatchLogsClient, input: Partial<FilterLogEventsCommandInput> = {}): Promise<{ seen: string[], pages: number }> {
  const seen: string[] = []
  let pages = 0
  let nextToken = input.nextToken
  do {
    const res = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', ...input, nextToken }))
    seen.push(...(res.events ?? []).map((e) => `${e.logStreamName}:${e.message}`))
    nextToken = res.nextToken
    pages++
  } while (nextToken !== undefined)
  return { seen, pages }
}

/** Stream `b` starts first although `a` sorts first by name; `c` ties with `b` at +3. */
const STAGGERED: Record<string, Array<[number, string]>> = {
  a: [[2, 'a2'], [4, 'a4'], [6, 'a6']],
  b: [[1, 'b1'], [3, 'b3'], [5, 'b5']],
  c: [[3, 'c3']]
}
const MERGED = ['b:b1', 'a:a2', 'b:b3', 'c:c3', 'a:a4', 'b:b5', 'a:a6']

t.test('FilterLogEvents interleaves the streams by timestamp, equal timestamps in stream-name order', async (t) => {
  const { client } = await setup(t, STAGGERED)
  t.same(await filterAll(client), { seen: MERGED, pages: 1 })
})

t.test('paging one event at a time gives the same order, across ties between streams', async (t) => {
  const { client } = await setup(t, STAGGERED)
  t.same(await filterAll(client, { limit: 1 }), { seen: MERGED, pages: MERGED.length })
})

t.test('startTime and endTime are both inclusive, also while paging', async (t) => {
  const { client } = await setup(t, STAGGERED)
  const expected = ['a:a2', 'b:b3', 'c:c3', 'a:a4', 'b:b5']
  t.same((await filterAll(client, { startTime: NOW + 2, endTime: NOW + 5 })).seen, expected)
  t.same((await filterAll(client, { startTime: NOW + 2, endTime: NOW + 5, limit: 2 })).seen, expected)
})

t.test('logStreamNamePrefix and logStreamNames narrow the streams searched', async (t) => {
  const { client } = await setup(t, { 'app-1': [[1, 'x'], [3, 'z']], 'app-2': [[2, 'y']], other: [[0, 'o']] })
  t.same((await filterAll(client, { logStreamNamePrefix: 'app-', limit: 1 })).seen, ['app-1:x', 'app-2:y', 'app-1:z'])
  t.same((await filterAll(client, { logStreamNames: ['other', 'app-2'] })).seen, ['other:o', 'app-2:y'])
  const res = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', logStreamNamePrefix: 'app-' }))
  t.same(res.searchedLogStreams?.map((s) => s.logStreamName), ['app-1', 'app-2'])
  await t.rejects(client.send(new FilterLogEventsCommand({ logGroupName: 'g', logStreamNames: ['a'], logStreamNamePrefix: 'a' })),
    { name: 'InvalidParameterException' })
})

t.test('a filter pattern with paging: the token skips the events that do not match', async (t) => {
  const { client } = await setup(t, {
    a: [[1, 'ERROR one'], [2, 'INFO'], [3, 'INFO'], [4, 'ERROR two']],
    b: [[2, 'INFO'], [5, 'ERROR three']]
  })
  t.same(await filterAll(client, { filterPattern: 'ERROR', limit: 1 }), { seen: ['a:ERROR one', 'a:ERROR two', 'b:ERROR three'], pages: 3 })
})

t.test('no nextToken after a last page that is exactly full', async (t) => {
  const { client } = await setup(t, { a: [[1, 'x'], [2, 'y']] })
  t.same(await filterAll(client, { limit: 2 }), { seen: ['a:x', 'a:y'], pages: 1 })
})

t.test('a page holds at most 1 MB of events, counted as PutLogEvents counts them', async (t) => {
  const big = 'x'.repeat(400_000)
  const { client } = await setup(t, {})
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'a' }))
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'b' }))
  await put(client, 'a', [{ timestamp: NOW, message: `a0${big}` }, { timestamp: NOW + 2, message: `a2${big}` }])
  await put(client, 'b', [{ timestamp: NOW + 1, message: `b1${big}` }])
  const first = await client.send(new FilterLogEventsCommand({ logGroupName: 'g' }))
  t.same(first.events?.map((e) => e.message!.slice(0, 2)), ['a0', 'b1'])
  const second = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', nextToken: first.nextToken }))
  t.same(second.events?.map((e) => e.message!.slice(0, 2)), ['a2'])
  t.equal(second.nextToken, undefined)
})

t.test('events stored between two pages: later ones show up, nothing is repeated', async (t) => {
  const { client } = await setup(t, { a: [[1, 'a1'], [3, 'a3']], b: [[2, 'b2']] })
  const first = await client.send(new FilterLogEventsCommand({ logGroupName: 'g', limit: 2 }))
  t.same(first.events?.map((e) => e.message), ['a1', 'b2'])
  await put(client, 'b', [{ timestamp: NOW + 4, message: 'b4' }])
  const rest = await filterAll(client, { nextToken: first.nextToken })
  t.same(rest.seen, ['a:a3', 'b:b4'])
})

t.test('paging a large group (100,000 events, 200 pages) returns every event once, in order', async (t) => {
  const count = 50_000
  const { client } = await setup(t, {})
  for (const name of ['a', 'b']) {
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }))
    for (let from = 0; from < count; from += 10_000) {
      await put(client, name, Array.from({ length: 10_000 }, (_, i) => ({ timestamp: NOW - count + from + i, message: `${name}${from + i}` })))
    }
  }
  const { seen, pages } = await filterAll(client, { limit: 500 })
  t.equal(pages, 2 * count / 500)
  t.ok(seen.length === 2 * count && seen.every((line, i) => line === `${'ab'[i % 2]}:${'ab'[i % 2]}${i >> 1}`), 'a0 b0 a1 b1 ...')
})

t.test('logStreamNames naming a stream that does not exist is ResourceNotFoundException, as on the service', async (t) => {
  const { client } = await setup(t, STAGGERED)
  for (const logStreamNames of [['nope'], ['a', 'nope']]) {
    await t.rejects(client.send(new FilterLogEventsCommand({ logGroupName: 'g', logStreamNames })),
      { name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' }, logStreamNames.join(' '))
  }
})
