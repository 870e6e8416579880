import t from 'tap'
import { Readable } from 'node:stream'
import { CloudWatchLogsClient, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { putLogEventsBody, putLogEventsCommand, withBody } from '../../lib/cloudwatch/request-body.js'
import { bodyFrame, encodeBatch } from '../../lib/pipeline/encoded-batch.js'
import type { Batch } from '../../lib/pipeline/batch.js'
import { Uploader } from '../../lib/cloudwatch/uploader.js'
import { uploaderOptions } from '../helpers/uploader.js'

/** A client whose handler keeps what would go on the wire and answers at once. */
function capturing (answers: Array<{ status: number, body: string }> = []): {
  client: CloudWatchLogsClient
  sent: Array<{ body: unknown, headers: Record<string, string> }>
} {
  const sent: Array<{ body: unknown, headers: Record<string, string> }> = []
  const client = new CloudWatchLogsClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body: unknown, headers: Record<string, string> }) => {
        sent.push({ body: request.body, headers: { ...request.headers } })
        const answer = answers.shift() ?? { status: 200, body: '{}' }
        return { response: { statusCode: answer.status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(answer.body)]) } }
      },
      updateHttpClientConfig () {},
      httpHandlerConfigs: () => ({})
    } as never
  })
  return { client, sent }
}

const target = { logGroupName: 'app/body', logStreamName: 'a:b' }
const events = [
  { timestamp: 1_700_000_000_000, message: '{"msg":"plain"}' },
  { timestamp: 1_700_000_000_001, message: 'quotes " and \\\\ and \u2028 and 😀 and \u0000' },
  { timestamp: 1_700_000_000_001, message: '€'.repeat(1000) }
]

t.test('the body logbeam builds is what the SDK would send, byte for byte, and it is what gets signed and sent', async t => {
  const { client, sent } = capturing()
  await client.send(new PutLogEventsCommand({ ...target, logEvents: events }))
  const body = putLogEventsBody(target, encodeBatch(events, 0))
  await client.send(putLogEventsCommand(PutLogEventsCommand, target, encodeBatch(events, 0), body, undefined, undefined))
  const [sdk, ours] = sent
  t.same(JSON.parse(String(ours!.body)), JSON.parse(String(sdk!.body)), 'the same request')
  t.equal(Buffer.from(ours!.body as Buffer).toString('utf8'), String(sdk!.body), 'the same bytes')
  t.equal(ours!.headers['content-length'], String(Buffer.byteLength(String(sdk!.body))))
  t.match(ours!.headers.authorization, /^AWS4-HMAC-SHA256 Credential=test\//, 'signed')
  client.destroy()
})

t.test('the SDK serialises none of the events itself, and the command still shows them', async t => {
  const { client, sent } = capturing()
  const command = withBody(new PutLogEventsCommand({ ...target, logEvents: events }), Buffer.from('{"mark":1}'))
  await client.send(command)
  t.equal(String(sent[0]!.body), '{"mark":1}', 'the body handed in is the one sent')
  t.equal(command.input.logEvents!.length, 3)
  client.destroy()
})

t.test('a batch is decoded for the command\'s input only if something reads it, never to send it', async t => {
  const { client, sent } = capturing()
  // Bytes that cannot be decoded: reading the events during the send would throw.
  const unreadable: Batch = { ...encodeBatch(events, 0), data: Buffer.from('[not json]') }
  const body = putLogEventsBody(target, unreadable, 'token-1')
  await client.send(putLogEventsCommand(PutLogEventsCommand, target, unreadable, body, 'token-1', undefined))
  t.equal(String(sent[0]!.body), '{"logGroupName":"app/body","logStreamName":"a:b","logEvents":[not json],"sequenceToken":"token-1"}')
  const readable = putLogEventsCommand(PutLogEventsCommand, target, encodeBatch(events, 0), body, undefined, undefined)
  t.same(readable.input.logEvents, events, 'read on demand, as logged')
  t.same(Object.keys(readable.input), ['logGroupName', 'logStreamName', 'sequenceToken', 'entity', 'logEvents'])
  client.destroy()
})

t.test('an entity goes in the body as the SDK would write it', async t => {
  const { client, sent } = capturing()
  const entity = { keyAttributes: { Type: 'Service', Name: 'checkout', Environment: 'prod' }, attributes: { team: 'a' } }
  await client.send(new PutLogEventsCommand({ ...target, logEvents: events, entity }))
  const body = putLogEventsBody(target, encodeBatch(events, 0), undefined, entity)
  t.equal(body.toString('utf8'), String(sent[0]!.body), 'the same bytes')
  const sealed = encodeBatch(events, 0, undefined, bodyFrame(target, entity))
  t.equal(putLogEventsBody(target, sealed, undefined, entity), sealed.body!.bytes, 'sealed inside it: sent as it is')
  t.equal(sealed.body!.bytes.toString('utf8'), String(sent[0]!.body), 'the same bytes')
  client.destroy()
})

t.test('a batch sealed inside its body is sent without a copy, unless the call needs other names', async t => {
  const sealed = encodeBatch(events, 0, undefined, bodyFrame(target))
  t.same(JSON.parse(sealed.data.toString()), events, 'the events are a part of the body')
  t.equal(sealed.data.buffer, sealed.body!.bytes.buffer)
  const body = putLogEventsBody(target, sealed)
  t.equal(body, sealed.body!.bytes, 'the very bytes')
  t.equal(body.toString(), putLogEventsBody(target, encodeBatch(events, 0)).toString(), 'what framing it again makes')
  const withToken = putLogEventsBody(target, sealed, 'token-9')
  t.not(withToken, sealed.body!.bytes)
  t.same(JSON.parse(withToken.toString()), { ...target, logEvents: events, sequenceToken: 'token-9' }, 'a token: framed again')
  const other = putLogEventsBody({ logGroupName: 'app/body', logStreamName: 'other' }, sealed)
  t.equal(JSON.parse(other.toString()).logStreamName, 'other', 'other names: framed again')
})

t.test('a retry sends the body already built, unless timestamps had to move', async t => {
  const throttled = { status: 400, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}' }
  const { client, sent } = capturing([throttled, throttled])
  // The uploader's backoff timers never hold a process (a worker lives by its stream): this test holds it.
  const alive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(alive))
  const uploader = new Uploader(client, uploaderOptions({ maxConcurrentPuts: 2, retryMaxDelay: 2 }), () => {})
  const now = Date.now()
  const batch = encodeBatch([{ timestamp: now, message: 'a' }, { timestamp: now, message: 'b' }], now)
  const out = await uploader.send(batch, target, { signal: new AbortController().signal, left: () => Infinity })
  t.same(out, { delivered: 2, rejected: 0, undelivered: 0 })
  t.equal(sent.length, 3)
  t.equal(sent[1]!.body, sent[0]!.body, 'the first retry sends the same bytes, not encoded again')
  t.equal(sent[2]!.body, sent[0]!.body)
  client.destroy()
})

t.test('a sequence token, for the endpoints that still want one, goes in the body', async t => {
  const one = encodeBatch(events.slice(0, 1), 0)
  t.same(JSON.parse(putLogEventsBody(target, one, 'token-7').toString()).sequenceToken, 'token-7')
  t.notOk('sequenceToken' in JSON.parse(putLogEventsBody(target, one).toString()))
})
