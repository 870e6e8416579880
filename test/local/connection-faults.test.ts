import t from 'tap'
import { PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { clientFor, errorOf, put, putWithin, rawPut, putBody, setup, until } from './helpers.js'

t.test("failNext('stall-body'): 200 and headers with a content-length, half the body, then nothing", async (t) => {
  const { endpoint } = await setup(t)
  endpoint.failNext('stall-body')
  const answer = await rawPut(endpoint, putBody(), 300)
  t.equal(answer.status, 200)
  t.equal(answer.headers['content-type'], 'application/x-amz-json-1.1')
  const length = Number(answer.headers['content-length'])
  t.ok(length > 0, `content-length ${length}`)
  t.equal(Buffer.byteLength(answer.body), length >> 1, 'the first half of the body arrived')
  t.notOk(answer.complete, 'the body never ended')
  t.same(endpoint.events('g', 's'), [], 'not processed')
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 200, fault: 'stall-body' }])
})

t.test('stall-body through the SDK: the abortSignal ends the call while it reads the body, and frees the socket', async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('stall-body')
  const started = performance.now()
  const err = await errorOf(putWithin(client, 200))
  // Which one depends on where the SDK is when the signal fires: its handler (AbortError) or its
  // body reader (the socket destroyed under it: ECONNRESET "aborted", with the 200 in $metadata).
  t.ok(err.name === 'AbortError' || (err.code === 'ECONNRESET' && err.$metadata?.httpStatusCode === 200), `${err.name} ${err.code}`)
  t.ok(performance.now() - started < 2000, 'ended by the client, not by the endpoint')
  await until(async () => await endpoint.openConnections() === 0, 'the server side to close')
  t.same(endpoint.events('g', 's'), [])
  t.equal(await put(client).then(() => 'ok'), 'ok', 'the next call works')
})

t.test("failNext('hang-after-processing') stores the events, never answers, and a retry stores them again", async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('hang-after-processing')
  t.equal((await errorOf(putWithin(client, 200))).name, 'AbortError')
  t.equal(endpoint.events('g', 's').length, 1, 'stored although never answered')
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 0, fault: 'hang-after-processing' }])
  await until(async () => await endpoint.openConnections() === 0, 'the aborted socket to close')
  await put(client)
  t.same(endpoint.events('g', 's').map((e) => e.message), ['hello', 'hello'], 'the retry made a duplicate')
})

t.test("failNext('hang') does not store: the contrast that makes hang-after-processing the duplicate case", async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('hang')
  await errorOf(putWithin(client, 200))
  t.same(endpoint.events('g', 's'), [])
})

t.test("failNext('reset-after-processing') stores the events, then cuts the connection", async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('reset-after-processing')
  const err = await errorOf(put(client))
  t.equal(err.code, 'ECONNRESET')
  t.equal(err.$metadata?.httpStatusCode, undefined, 'no status ever arrived')
  t.equal(endpoint.events('g', 's').length, 1, 'stored although the connection was cut')
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 0, fault: 'reset-after-processing' }])
  await put(client)
  t.equal(endpoint.events('g', 's').length, 2, 'the retry made a duplicate')
})

t.test("failNext('drop') does not store: it cuts before processing", async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('drop')
  t.equal((await errorOf(put(client))).code, 'ECONNRESET')
  t.same(endpoint.events('g', 's'), [])
})

t.test('an -after-processing fault on a call the service refuses stores nothing, and still fails on the wire', async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('reset-after-processing')
  const err = await errorOf(client.send(new PutLogEventsCommand({
    logGroupName: 'g', logStreamName: 'missing', logEvents: [{ timestamp: Date.now(), message: 'x' }]
  })))
  t.equal(err.code, 'ECONNRESET', 'not ResourceNotFoundException: the answer never left')
  t.same(endpoint.streams('g'), ['s'])
})

t.test("failNext('too-large-413'): nginx's 413 HTML page, the connection closed, nothing processed", async (t) => {
  const { endpoint } = await setup(t)
  endpoint.failNext('too-large-413')
  const answer = await rawPut(endpoint, putBody())
  t.equal(answer.status, 413)
  t.equal(answer.headers['content-type'], 'text/html')
  t.equal(answer.headers.connection, 'close')
  t.equal(answer.headers['x-amzn-requestid'], undefined, 'not an answer of the service')
  t.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body))
  t.match(answer.body, /^<html>\r\n[\s\S]*<title>413 Request Entity Too Large<\/title>[\s\S]*<\/html>\r\n$/)
  t.ok(answer.complete)
  t.same(endpoint.events('g', 's'), [])
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 413, fault: 'too-large-413' }])
})

t.test('too-large-413 through the SDK: a deserialization error carrying status 413, no service error name', async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('too-large-413')
  const err = await errorOf(put(client))
  t.equal(err.$metadata?.httpStatusCode, 413)
  t.equal(err.name, 'SyntaxError', 'the SDK cannot parse HTML as JSON')
  t.match(err.message, /Deserialization error/)
  t.equal(await put(client).then(() => 'ok'), 'ok', 'a new connection works')
  t.equal(endpoint.events('g', 's').length, 1)
})

const RATES = [
  ['stallRate', 'stall-body', 200],
  ['hangAfterProcessingRate', 'hang-after-processing', 0],
  ['resetAfterProcessingRate', 'reset-after-processing', 0],
  ['tooLargeRate', 'too-large-413', 413]
] as const

for (const [rate, kind, status] of RATES) {
  t.test(`${rate}: 1 makes every PutLogEvents a '${kind}'`, async (t) => {
    const { endpoint, client } = await setup(t, { faults: { [rate]: 1 } })
    await errorOf(putWithin(client, 200))
    await errorOf(putWithin(client, 200))
    t.match(endpoint.calls, [{ fault: kind, status }, { fault: kind, status }])
    const stored = kind.endsWith('-after-processing') ? 2 : 0
    t.equal(endpoint.events('g', 's').length, stored)
  })
}

t.test('the new rates join the draw after the old ones: a seed replays what it did before them', async (t) => {
  const outcomes = async (faults: object): Promise<Array<string | undefined>> => {
    const { endpoint, client } = await setup(t, { faults: { throttleRate: 0.3, serverErrorRate: 0.2, seed: 11, ...faults } })
    for (let i = 0; i < 20; i++) await put(client).catch(() => {})
    return endpoint.calls.map((c) => c.fault)
  }
  t.same(await outcomes({ stallRate: 0, tooLargeRate: 0 }), await outcomes({}))
  await t.rejects(startLocalEndpoint({ faults: { hangRate: 0.5, stallRate: 0.6 } }), { name: 'RangeError', message: /must not exceed 1/ })
  await t.rejects(startLocalEndpoint({ faults: { tooLargeRate: 1.5 } }), { name: 'RangeError', message: /tooLargeRate/ })
})

t.test('close() cuts hanging and stalled calls at once, processed or not', async (t) => {
  const endpoint = await startLocalEndpoint({ autoCreate: true })
  endpoint.failNext('hang', 'stall-body', 'hang-after-processing')
  const pending = [clientFor(t, endpoint), clientFor(t, endpoint), clientFor(t, endpoint)].map((client) => errorOf(put(client)))
  await until(() => endpoint.calls.length === 3, 'three calls')
  t.equal(await endpoint.openConnections(), 3)
  const started = performance.now()
  await endpoint.close()
  t.ok(performance.now() - started < 1000, 'close() did not wait for them')
  const errors = await Promise.all(pending)
  t.same(errors.map((e) => e.code), ['ECONNRESET', 'ECONNRESET', 'ECONNRESET'])
})

t.test('a client giving up on a hanging call frees its socket on the endpoint', async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('hang')
  await errorOf(putWithin(client, 100))
  await until(async () => await endpoint.openConnections() === 0, 'the server side to close')
  t.pass('no socket left behind')
})
