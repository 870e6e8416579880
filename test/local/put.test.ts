import t from 'tap'
import {
  CreateLogGroupCommand, CreateLogStreamCommand, InvalidParameterException, PutLogEventsCommand,
  PutRetentionPolicyCommand, ResourceNotFoundException, type CloudWatchLogsClient, type InputLogEvent,
  type PutLogEventsCommandOutput
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions } from '../../lib/local/index.js'
import { clientFor, errorOf, type Teardown } from './helpers.js'

const NOW = Date.UTC(2026, 10, 1, 12)
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

/** An endpoint with a pinned clock, group `g` and stream `s`, and a client that never retries. */
async function setup (t: Teardown, options: LocalEndpointOptions = {}): Promise<{ endpoint: LocalEndpoint, client: CloudWatchLogsClient }> {
  const endpoint = await startLocalEndpoint({ now: () => NOW, ...options })
  t.teardown(() => endpoint.close())
  const client = clientFor(t, endpoint)
  if (options.autoCreate !== true) {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }))
  }
  return { endpoint, client }
}

function put (client: CloudWatchLogsClient, logEvents: InputLogEvent[], logStreamName = 's'): Promise<PutLogEventsCommandOutput> {
  return client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName, logEvents }))
}

/** `count` events whose sizes add up to exactly `total` bytes as the service counts them. */
function eventsTotalling (total: number, char: string, count = 4): InputLogEvent[] {
  const width = Buffer.byteLength(char, 'utf8')
  const messageBytes = total - 26 * count
  const each = Math.floor(messageBytes / count)
  return Array.from({ length: count }, (_, i) => {
    const bytes = i === count - 1 ? messageBytes - each * (count - 1) : each
    return { timestamp: NOW, message: char.repeat(Math.floor(bytes / width)) + 'a'.repeat(bytes % width) }
  })
}

t.test('stores the events and answers a sequence token', async (t) => {
  const { endpoint, client } = await setup(t)
  const res = await put(client, [{ timestamp: NOW - 1, message: 'one' }, { timestamp: NOW, message: 'two' }])
  t.match(res.nextSequenceToken, /^\d{56}$/)
  t.equal(res.rejectedLogEventsInfo, undefined)
  t.same(endpoint.events('g', 's'), [
    { timestamp: NOW - 1, message: 'one', ingestionTime: NOW },
    { timestamp: NOW, message: 'two', ingestionTime: NOW }
  ])
})

t.test('10,000 events are accepted, 10,001 fail the whole call', async (t) => {
  const { endpoint, client } = await setup(t)
  const events = (n: number): InputLogEvent[] => Array.from({ length: n }, (_, i) => ({ timestamp: NOW, message: `m${i}` }))
  await put(client, events(10_000))
  const err = await errorOf(put(client, events(10_001)))
  t.ok(err instanceof InvalidParameterException)
  t.equal(err.name, 'InvalidParameterException')
  t.equal(err.$metadata?.httpStatusCode, 400)
  t.equal(endpoint.events('g', 's').length, 10_000)
})

for (const char of ['a', 'é', '€', '😀']) {
  t.test(`1,048,576 bytes pass and 1,048,577 fail, with ${Buffer.byteLength(char)}-byte characters`, async (t) => {
    const { endpoint, client } = await setup(t)
    const exact = eventsTotalling(1_048_576, char)
    const over = eventsTotalling(1_048_577, char)
    t.equal(exact.reduce((sum, e) => sum + Buffer.byteLength(e.message!, 'utf8') + 26, 0), 1_048_576)
    await put(client, exact)
    t.equal(endpoint.calls.at(-1)?.bytes, 1_048_576)
    const err = await errorOf(put(client, over))
    t.equal(err.name, 'InvalidParameterException')
    t.equal(err.message, 'Upload too large: 1048577 bytes exceeds limit of 1048576')
    t.equal(endpoint.events('g', 's').length, 4)
  })
}

t.test('one event of exactly 1,048,576 bytes passes, one byte more fails', async (t) => {
  const { endpoint, client } = await setup(t)
  const exact = '😀'.repeat(262_137) + 'aa'
  t.equal(Buffer.byteLength(exact) + 26, 1_048_576)
  await put(client, [{ timestamp: NOW, message: exact }])
  const err = await errorOf(put(client, [{ timestamp: NOW, message: exact + 'b' }]))
  t.equal(err.name, 'InvalidParameterException')
  t.equal(err.message, 'Log event too large: 1048577 bytes exceeds limit of 1048576')
  t.equal(endpoint.events('g', 's').length, 1)
})

t.test('an empty message fails the whole call', async (t) => {
  const { endpoint, client } = await setup(t)
  const err = await errorOf(put(client, [{ timestamp: NOW, message: 'ok' }, { timestamp: NOW, message: '' }]))
  t.equal(err.name, 'InvalidParameterException')
  t.match(err.message, /'logEvents.2.member.message'/)
  t.same(endpoint.events('g', 's'), [])
})

t.test('a missing timestamp fails the whole call', async (t) => {
  const { client } = await setup(t)
  // The SDK's types require a timestamp; the service must still refuse a request without one.
  const err = await errorOf(put(client, [{ message: 'no time' } as InputLogEvent]))
  t.equal(err.name, 'InvalidParameterException')
  t.match(err.message, /Value null at 'logEvents.1.member.timestamp'/)
})

t.test('events out of timestamp order fail the whole call', async (t) => {
  const { endpoint, client } = await setup(t)
  const err = await errorOf(put(client, [{ timestamp: NOW, message: 'b' }, { timestamp: NOW - 1, message: 'a' }]))
  t.equal(err.name, 'InvalidParameterException')
  t.equal(err.message, 'Log events in a single PutLogEvents request must be in chronological order.')
  t.same(endpoint.events('g', 's'), [])
})

t.test('a span of exactly 24 h passes, 1 ms more fails', async (t) => {
  const { endpoint, client } = await setup(t)
  await put(client, [{ timestamp: NOW - DAY, message: 'first' }, { timestamp: NOW, message: 'last' }])
  const err = await errorOf(put(client, [{ timestamp: NOW - DAY - 1, message: 'first' }, { timestamp: NOW, message: 'last' }]))
  t.equal(err.name, 'InvalidParameterException')
  t.match(err.message, /cannot span more than 24 hours/)
  t.equal(endpoint.events('g', 's').length, 2)
})

t.test('too-old and too-new events are left out and reported, the rest stored', async (t) => {
  const { endpoint, client } = await setup(t)
  const res = await put(client, [
    { timestamp: NOW - 14 * DAY - 1, message: 'too old' },
    { timestamp: NOW - 14 * DAY, message: 'oldest kept' },
    { timestamp: NOW - 13 * DAY, message: 'kept' },
    { timestamp: NOW - 13 * DAY, message: 'kept too' }
  ])
  t.same(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 })
  const res2 = await put(client, [
    { timestamp: NOW, message: 'now' },
    { timestamp: NOW + 2 * HOUR, message: 'newest kept' },
    { timestamp: NOW + 2 * HOUR + 1, message: 'too new' },
    { timestamp: NOW + 3 * HOUR, message: 'too new too' }
  ])
  t.same(res2.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 2 })
  t.same(endpoint.events('g', 's').map((e) => e.message), ['oldest kept', 'kept', 'kept too', 'now', 'newest kept'])
})

t.test("events older than the group's retention are expired, not stored", async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: 1 }))
  const res = await put(client, [
    { timestamp: NOW - 15 * DAY, message: 'too old' },
    { timestamp: NOW - 2 * DAY, message: 'expired' },
    { timestamp: NOW - DAY - 1, message: 'expired too' },
    { timestamp: NOW - DAY, message: 'kept' }
  ])
  t.same(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0, expiredLogEventEndIndex: 2 })
  t.same(endpoint.events('g', 's').map((e) => e.message), ['kept'])
})

t.test('a missing group or stream is ResourceNotFoundException, named in the message', async (t) => {
  const { client } = await setup(t)
  const noStream = await errorOf(put(client, [{ timestamp: NOW, message: 'x' }], 'nope'))
  t.ok(noStream instanceof ResourceNotFoundException)
  t.equal(noStream.message, 'The specified log stream does not exist.')
  const noGroup = await errorOf(client.send(new PutLogEventsCommand({ logGroupName: 'nope', logStreamName: 's', logEvents: [{ timestamp: NOW, message: 'x' }] })))
  t.equal(noGroup.name, 'ResourceNotFoundException')
  t.equal(noGroup.message, 'The specified log group does not exist.')
})

t.test('autoCreate creates the group and stream on the first put', async (t) => {
  const { endpoint, client } = await setup(t, { autoCreate: true })
  await put(client, [{ timestamp: NOW, message: 'x' }], 'fresh')
  t.same(endpoint.groups(), ['g'])
  t.same(endpoint.streams('g'), ['fresh'])
})

t.test('the sequence token is ignored', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', sequenceToken: 'stale', logEvents: [{ timestamp: NOW, message: 'x' }] }))
  t.equal(endpoint.events('g', 's').length, 1)
})

t.test('parallel puts to one stream are all stored in timestamp order, ties in arrival order', async (t) => {
  const { endpoint, client } = await setup(t)
  await put(client, [{ timestamp: NOW, message: 'late-1' }, { timestamp: NOW + 10, message: 'late-2' }])
  await put(client, [{ timestamp: NOW - 10, message: 'early' }, { timestamp: NOW, message: 'late-1 tie' }])
  const batches = Array.from({ length: 8 }, (_, b) =>
    Array.from({ length: 50 }, (_, i) => ({ timestamp: NOW + 20 + i * 8 + b, message: `${b}:${i}` })))
  await Promise.all(batches.map((batch) => put(client, batch)))
  const stored = endpoint.events('g', 's')
  t.equal(stored.length, 404)
  t.same(stored.slice(0, 4).map((e) => e.message), ['early', 'late-1', 'late-1 tie', 'late-2'])
  t.ok(stored.every((e, i) => i === 0 || stored[i - 1]!.timestamp <= e.timestamp))
})
