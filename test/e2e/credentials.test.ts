// clientConfig.assumeRole: plain data that becomes the SDK's own fromTemporaryCredentials provider in
// the worker. Against moto's STS and CloudWatch Logs, through a recorder that keeps every request,
// so the test sees the AssumeRole call and the key each PutLogEvents call was signed with.
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { motoAvailable, startMoto } from '../helpers/moto.js'
import { credentials, range, readAll, seqs } from '../helpers/aws.js'
import { startTransport } from '../helpers/transport.js'

const available = motoAvailable()
const skip = available.ok ? false : available.why

interface Exchange { target: string, authorization: string, token: string | undefined, body: string, answer: string }

/** A reverse proxy in front of `upstream` that keeps each request and its answer. */
async function startRecorder (upstream: string): Promise<{ url: string, exchanges: Exchange[], close: () => Promise<void> }> {
  const exchanges: Exchange[] = []
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'connection')) as Record<string, string>
    const answer = await fetch(new URL(req.url!, upstream), { method: req.method!, headers, body: body.length > 0 ? body : undefined })
    const text = await answer.text()
    exchanges.push({
      target: String(req.headers['x-amz-target'] ?? new URLSearchParams(body.toString()).get('Action')),
      authorization: String(req.headers.authorization),
      token: req.headers['x-amz-security-token'] as string | undefined,
      body: body.toString(),
      answer: text
    })
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' })
    res.end(text)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

/** The access key id a request was signed with (SigV4: `Credential=KEY/date/region/service/aws4_request`). */
const keyOf = (authorization: string): string | undefined => /Credential=([^/]+)\//.exec(authorization)?.[1]

t.test('assumeRole: the role is assumed with the base credentials, and its keys sign every call', { skip }, async t => {
  const moto = await startMoto()
  t.teardown(moto.stop)
  const recorder = await startRecorder(moto.url)
  t.teardown(recorder.close)
  const roleArn = 'arn:aws:iam::123456789012:role/logs-writer'
  // The STS client finds its endpoint like any SDK client; the worker copies process.env when it starts.
  process.env.AWS_ENDPOINT_URL_STS = recorder.url
  const run = startTransport(recorder.url, {
    logGroupName: 'app/credentials',
    logStreamName: 'assumed',
    clientConfig: {
      endpoint: recorder.url,
      region: 'us-east-1',
      credentials,
      assumeRole: { roleArn, externalId: 'ext-42', roleSessionName: 'logbeam-test', durationSeconds: 900 }
    }
  })
  delete process.env.AWS_ENDPOINT_URL_STS
  for (const seq of range(20)) run.logger.info({ seq }, 'as the role')
  await run.flush()
  await run.end()
  t.same(seqs(await readAll(moto.url, 'app/credentials', 'assumed')), range(20), 'every line stored')

  const assume = recorder.exchanges.filter(e => e.target === 'AssumeRole')
  t.equal(assume.length, 1, 'one AssumeRole call (its credentials are cached)')
  const params = new URLSearchParams(assume[0]!.body)
  t.same([params.get('RoleArn'), params.get('ExternalId'), params.get('RoleSessionName'), params.get('DurationSeconds')],
    [roleArn, 'ext-42', 'logbeam-test', '900'], 'with the role, external id, session name and duration given')
  t.equal(keyOf(assume[0]!.authorization), credentials.accessKeyId, 'signed with the base credentials')

  const roleKey = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(assume[0]!.answer)?.[1]
  t.ok(roleKey !== undefined && roleKey !== credentials.accessKeyId, `STS answered a key of the role's own (${roleKey})`)
  const logs = recorder.exchanges.filter(e => e.target.startsWith('Logs_'))
  t.ok(logs.some(e => e.target.endsWith('.PutLogEvents')), 'PutLogEvents calls were made')
  t.same(logs.filter(e => keyOf(e.authorization) !== roleKey || e.token === undefined).map(e => e.target), [],
    'every CloudWatch Logs call is signed with the role\'s key and carries its session token')
})
