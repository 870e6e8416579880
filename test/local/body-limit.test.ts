import t from 'tap'
import { DescribeLogGroupsCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { batchBytes } from '../../lib/local/rules.js'
import { errorOf, put, rawPut, putBody, setup } from './helpers.js'

const NGINX_DEFAULT = 1_048_576

/**
 * 10,000 pino-like lines of 78 bytes: 1,040,000 bytes as the service counts them, within its
 * 1 MiB limit, but about 1.3 MB of JSON on the wire (quotes are escaped, each event has keys).
 */
function fullBatch (): InputLogEvent[] {
  const timestamp = Date.now()
  return Array.from({ length: 10_000 }, (_, i) => ({ timestamp, message: `{"level":30,"time":${timestamp},"msg":"request ${String(i).padStart(5, '0')} done"}`.padEnd(78, ' ') }))
}

t.test('maxBodyBytes 1 MiB (nginx default) refuses a full batch the service would take', async (t) => {
  const events = fullBatch()
  t.ok(batchBytes(events) <= 1_048_576, `the service's count: ${batchBytes(events)}`)
  const { endpoint, client } = await setup(t, { faults: { maxBodyBytes: NGINX_DEFAULT } })
  const err = await errorOf(put(client, { logEvents: events }))
  t.equal(err.$metadata?.httpStatusCode, 413)
  t.same(endpoint.events('g', 's'), [], 'nothing processed')
  const [call] = endpoint.calls
  t.match(call, { operation: 'PutLogEvents', status: 413, fault: 'too-large-413' })
  t.ok(call!.bodyBytes > NGINX_DEFAULT, `body of ${call!.bodyBytes} bytes`)
  t.equal(call!.events, undefined, 'the proxy does not read the batch')

  endpoint.setFaults({})
  await put(client, { logEvents: events })
  t.equal(endpoint.events('g', 's').length, 10_000, 'without the limit the same batch is stored')
})

t.test('maxBodyBytes answers with the proxy page, and lets a body of exactly the limit through', async (t) => {
  const { endpoint } = await setup(t)
  const body = putBody()
  endpoint.setFaults({ maxBodyBytes: Buffer.byteLength(body) - 1 })
  const refused = await rawPut(endpoint, body)
  t.equal(refused.status, 413)
  t.equal(refused.headers['content-type'], 'text/html')
  t.match(refused.body, /413 Request Entity Too Large/)
  endpoint.setFaults({ maxBodyBytes: Buffer.byteLength(body) })
  t.equal((await rawPut(endpoint, body)).status, 200)
  t.equal(endpoint.events('g', 's').length, 1)
})

t.test('maxBodyBytes comes before everything else: any operation, credentials, queued faults', async (t) => {
  const { endpoint, client } = await setup(t, { faults: { maxBodyBytes: 1 } })
  endpoint.failNext('server-error')
  t.equal((await errorOf(client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'g' })))).$metadata?.httpStatusCode, 413)
  t.equal((await errorOf(put(client))).$metadata?.httpStatusCode, 413)
  endpoint.setFaults({ rejectCredentials: 'AccessDeniedException', maxBodyBytes: 1 })
  t.equal((await errorOf(put(client))).$metadata?.httpStatusCode, 413, 'before the credentials check, as a proxy is')
  endpoint.setFaults({})
  t.equal((await errorOf(put(client))).name, 'ServiceUnavailableException', 'the queued fault is still there')
})

t.test('a refused body draws no random fault: the seed replays the same faults for the calls that pass', async (t) => {
  const faultsOfSmallPuts = async (bigFirst: boolean): Promise<Array<string | undefined>> => {
    const { endpoint, client } = await setup(t, { faults: { maxBodyBytes: 1000, throttleRate: 0.5, seed: 3 } })
    if (bigFirst) await errorOf(put(client, { logEvents: [{ timestamp: Date.now(), message: 'x'.repeat(2000) }] }))
    for (let i = 0; i < 10; i++) await put(client).catch(() => {})
    return endpoint.calls.filter((c) => c.status !== 413).map((c) => c.fault)
  }
  const plain = await faultsOfSmallPuts(false)
  t.ok(plain.includes('throttle') && plain.includes(undefined), String(plain))
  t.same(await faultsOfSmallPuts(true), plain)
})

t.test('maxBodyBytes must be a positive integer or null', async (t) => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    await t.rejects(startLocalEndpoint({ faults: { maxBodyBytes: bad } }), { name: 'RangeError', message: /maxBodyBytes/ }, String(bad))
  }
  const endpoint = await startLocalEndpoint({ faults: { maxBodyBytes: null } })
  await endpoint.close()
})
