// The request body logbeam builds is the one the SDK signs. A SigV4 signature covers the body through its SHA-256,
// sent and signed as x-amz-content-sha256: moto, told to check every call after the first three, recomputes each
// signature (with botocore) from the headers; here every body logbeam sent is also hashed as it left, after signing.
// Together: the signature moto verified covers the very bytes sent. (The local endpoint hashes bodies itself:
// test/local/signed-body.test.ts.)
import t from 'tap'
import { createHash } from 'node:crypto'
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import pino from 'pino'
import logbeam from '../../lib/index.js'
import { motoAvailable, startMoto, type Moto } from '../helpers/moto.js'
import { client, range, readAll, seqs } from '../helpers/aws.js'

const available = motoAvailable()
const skip = available.ok ? false : available.why

/** One IAM call by the query API; moto lets it through unchecked while it is among the first three. */
async function iam (url: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto picks the service from the credential scope.
      authorization: 'AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0'
    }
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`IAM ${params.Action}: HTTP ${res.status}: ${text}`)
  return text
}

/** moto that checks signatures, and the keys of a user allowed everything. */
async function checkingMoto (): Promise<{ moto: Moto, credentials: { accessKeyId: string, secretAccessKey: string } }> {
  const moto = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '3' })
  await iam(moto.url, { Action: 'CreateUser', UserName: 'shipper' })
  const created = await iam(moto.url, { Action: 'CreateAccessKey', UserName: 'shipper' })
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
  await iam(moto.url, { Action: 'PutUserPolicy', UserName: 'shipper', PolicyName: 'all', PolicyDocument: JSON.stringify(policy) })
  const accessKeyId = /<AccessKeyId>([^<]+)</.exec(created)![1]!
  const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(created)![1]!
  return { moto, credentials: { accessKeyId, secretAccessKey } }
}

/** The HTTP status of a refused call (moto answers a bad signature with 403 and XML), or 'accepted'. */
async function outcome (call: Promise<unknown>): Promise<number | 'accepted'> {
  try {
    await call
    return 'accepted'
  } catch (err) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1
  }
}

/** What left for each PutLogEvents call, after signing: the SHA-256 of the body, and the one signed. */
function recording (c: CloudWatchLogsClient): Array<{ sent: string, signed: string, bytes: number }> {
  const puts: Array<{ sent: string, signed: string, bytes: number }> = []
  c.middlewareStack.add(next => async args => {
    const request = args.request as { body: string | Uint8Array, headers: Record<string, string> }
    if (request.headers['x-amz-target']?.endsWith('.PutLogEvents')) {
      const body = Buffer.from(request.body)
      puts.push({ sent: createHash('sha256').update(body).digest('hex'), signed: request.headers['x-amz-content-sha256']!, bytes: body.length })
    }
    return next(args)
  }, { step: 'deserialize', priority: 'high', name: 'recordSentBodies' })
  return puts
}

t.test('moto verifies every signature, and each covers the body logbeam sent, byte for byte', { skip }, async t => {
  const { moto, credentials } = await checkingMoto()
  t.teardown(moto.stop)

  // The checks are on: the right secret passes, a wrong one is refused.
  const right = client(moto.url, { credentials })
  t.equal(await outcome(right.send(new CreateLogGroupCommand({ logGroupName: 'app/check' }))), 'accepted')
  right.destroy()
  const wrong = client(moto.url, { credentials: { ...credentials, secretAccessKey: 'not-the-secret' } })
  t.equal(await outcome(wrong.send(new CreateLogGroupCommand({ logGroupName: 'app/check-2' }))), 403, 'a wrong secret')
  wrong.destroy()

  const injected = client(moto.url, { credentials })
  const puts = recording(injected)
  const stream = await logbeam({ logGroupName: 'app/signed', logStreamName: 'body', stderr: false, batchSize: 65_536 },
    { client: injected })
  const errors: unknown[] = []
  stream.on('putError', info => errors.push(info))
  const logger = pino(stream)
  for (const seq of range(3000)) logger.info({ seq, text: 'naïve café 😀 "quoted" \\ back' }, 'signed')
  await stream.flush()
  t.same(errors, [], 'no call refused')
  t.ok(puts.length > 3, `${puts.length} calls`)
  t.ok(puts.every(p => p.sent === p.signed), 'each body sent has the SHA-256 that was signed')
  const stored = await readAll(moto.url, 'app/signed', 'body', { credentials })
  t.same(seqs(stored), range(3000), 'every line once, in order')
  t.equal(JSON.parse(stored[11]!.message).text, 'naïve café 😀 "quoted" \\ back')
  stream.end()
  await stream.closeResult
  injected.destroy()
})
