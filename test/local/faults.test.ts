import t from 'tap'
import {
  AccessDeniedException, CloudWatchLogsClient, DescribeLogGroupsCommand,
  InvalidParameterException, PutLogEventsCommand, ResourceNotFoundException, ServiceUnavailableException,
  ThrottlingException, UnrecognizedClientException
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type FaultKind } from '../../lib/local/index.js'
import { clientFor, setup, until } from './helpers.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

type SdkError = Error & { code?: string, $metadata?: { httpStatusCode?: number } }

function put (client: CloudWatchLogsClient, options: { abortSignal?: AbortSignal } = {}): Promise<unknown> {
  return client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'hello' }] }), options)
}

async function errorOf (promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise
  } catch (err) {
    return err as SdkError
  }
  throw new Error('expected the call to fail')
}

/** Outcome of a call: 'ok' or the error's name. */
async function outcome (promise: Promise<unknown>): Promise<string> {
  return promise.then(() => 'ok', (err: Error) => err.name)
}

const ANSWERED: Array<[FaultKind, new (...args: never[]) => Error, number, RegExp]> = [
  ['throttle', ThrottlingException, 400, /^Rate exceeded$/],
  ['server-error', ServiceUnavailableException, 503, /unavailable/],
  ['invalid-parameter', InvalidParameterException, 400, /./],
  ['not-found-group', ResourceNotFoundException, 400, /^The specified log group does not exist\.$/],
  ['not-found-stream', ResourceNotFoundException, 400, /^The specified log stream does not exist\.$/],
  ['unrecognized-client', UnrecognizedClientException, 400, /^The security token included in the request is invalid\.$/],
  ['access-denied', AccessDeniedException, 400, /is not authorized to perform: logs:PutLogEvents on resource: .*log-group:g:log-stream:s/]
]

for (const [kind, ErrorClass, status, message] of ANSWERED) {
  t.test(`failNext('${kind}') surfaces in the SDK as ${ErrorClass.name}`, async (t) => {
    const { endpoint, client } = await setup(t)
    endpoint.failNext(kind)
    const err = await errorOf(put(client))
    t.ok(err instanceof ErrorClass, err.name)
    t.equal(err.name, ErrorClass.name)
    t.equal(err.$metadata?.httpStatusCode, status)
    t.match(err.message, message)
    t.match(endpoint.calls, [{ operation: 'PutLogEvents', status, fault: kind, error: ErrorClass.name }])
    t.same(endpoint.events('g', 's'), [], 'nothing stored')
  })
}

t.test("failNext('drop') cuts the connection: the SDK sees a network error", async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('drop')
  const err = await errorOf(put(client))
  t.equal(err.code, 'ECONNRESET')
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 0, fault: 'drop' }])
  t.equal(await outcome(put(client)), 'ok', 'the next call works')
})

t.test("failNext('hang') never answers: the client's abortSignal ends the call", async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('hang')
  const err = await errorOf(put(client, { abortSignal: AbortSignal.timeout(200) }))
  t.equal(err.name, 'AbortError')
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 0, fault: 'hang' }])
})

t.test('close() ends hanging requests', async (t) => {
  const endpoint = await startLocalEndpoint({ autoCreate: true })
  const client = clientFor(t, endpoint)
  endpoint.failNext('hang')
  const pending = errorOf(put(client))
  await until(() => endpoint.calls.length === 1, 'the call to arrive')
  await endpoint.close()
  t.equal((await pending).code, 'ECONNRESET')
})

t.test('failNext faults come in order, PutLogEvents only, then calls succeed', async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('throttle', 'server-error', 'not-found-stream')
  const seen = [await outcome(put(client))]
  seen.push(await outcome(client.send(new DescribeLogGroupsCommand({}))))
  for (let i = 0; i < 3; i++) seen.push(await outcome(put(client)))
  t.same(seen, ['ThrottlingException', 'ok', 'ServiceUnavailableException', 'ResourceNotFoundException', 'ok'])
  t.same(endpoint.calls.map((c) => c.fault), ['throttle', undefined, 'server-error', 'not-found-stream', undefined])
})

t.test('credentials rejection comes before queued faults and hits every operation', async (t) => {
  const { endpoint, client } = await setup(t)
  endpoint.failNext('throttle')
  endpoint.setFaults({ rejectCredentials: 'UnrecognizedClientException' })
  t.equal(await outcome(client.send(new DescribeLogGroupsCommand({}))), 'UnrecognizedClientException')
  t.equal(await outcome(put(client)), 'UnrecognizedClientException')
  endpoint.setFaults({})
  t.equal(await outcome(put(client)), 'ThrottlingException', 'the queued fault is still there')
  t.equal(await outcome(put(client)), 'ok')
})

t.test('random faults replay the same way for the same seed', async (t) => {
  const faults = { throttleRate: 0.3, serverErrorRate: 0.2, seed: 7 }
  const run = async (): Promise<string[]> => {
    const { client } = await setup(t, { faults })
    const seen: string[] = []
    for (let i = 0; i < 30; i++) seen.push(await outcome(put(client)))
    return seen
  }
  const first = await run()
  t.same(await run(), first)
  t.ok(first.includes('ok') && first.includes('ThrottlingException') && first.includes('ServiceUnavailableException'), first.join(' '))
})

t.test('random faults hit only the listed operations', async (t) => {
  const { client } = await setup(t, { faults: { throttleRate: 1, operations: ['DescribeLogGroups'] } })
  t.equal(await outcome(put(client)), 'ok')
  t.equal(await outcome(client.send(new DescribeLogGroupsCommand({}))), 'ThrottlingException')
})

t.test('latency delays the answer of every call', async (t) => {
  const { client } = await setup(t, { faults: { latencyMs: 150 } })
  const started = performance.now()
  await client.send(new DescribeLogGroupsCommand({}))
  t.ok(performance.now() - started >= 148, 'answered after the latency')
})

t.test('every call is recorded with its events and batch bytes', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'héllo' }, { timestamp: Date.now(), message: 'x' }] }))
  t.match(endpoint.calls, [{ operation: 'PutLogEvents', status: 200, events: 2, bytes: 6 + 26 + 1 + 26, bodyBytes: Number }])
  t.same(Object.keys(endpoint.calls[0]!).sort(), ['bodyBytes', 'bytes', 'events', 'operation', 'status'])
})

t.test('outage refuses connections, then the endpoint listens again on the same port', async (t) => {
  const { endpoint, client } = await setup(t)
  t.equal(await outcome(put(client)), 'ok')
  const port = endpoint.port
  const back = endpoint.outage(2500)
  const during = await errorOf(clientFor(t, endpoint).send(new DescribeLogGroupsCommand({})))
  t.equal(during.code, 'ECONNREFUSED')
  await back
  t.equal(endpoint.port, port)
  t.equal(await outcome(put(client)), 'ok', 'the same client recovers')
  t.equal(endpoint.events('g', 's').length, 2, 'the data survived')
})

t.test('close() during an outage ends it at once, without listening again', async (t) => {
  const endpoint = await startLocalEndpoint()
  const outage = endpoint.outage(60_000)
  await endpoint.close()
  await outage
  const err = await errorOf(clientFor(t, endpoint).send(new DescribeLogGroupsCommand({})))
  t.equal(err.code, 'ECONNREFUSED')
})

t.test('bad fault settings throw at once, naming the option', async (t) => {
  const { endpoint } = await setup(t)
  t.throws(() => endpoint.setFaults({ throttleRate: 2 }), { name: 'RangeError', message: /throttleRate/ })
  t.throws(() => endpoint.failNext('boom' as FaultKind), TypeError)
  await t.rejects(startLocalEndpoint({ faults: { hangRate: -1 } }), { name: 'RangeError', message: /hangRate/ })
})
