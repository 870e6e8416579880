import t from 'tap'
import { createHash } from 'node:crypto'
import { PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { tamperingClient } from '../helpers/aws.js'
import { putBody, rawPut, setup, type SdkError } from './helpers.js'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

t.test('a body other than the one signed is refused as a bad signature, and nothing of it is stored', async t => {
  const { endpoint, client } = await setup(t)
  const put = (c: typeof client, message: string) => c.send(new PutLogEventsCommand({
    logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message }]
  }))
  await put(client, 'as signed')
  const tampered = tamperingClient(endpoint.url, 'changed')
  t.teardown(() => tampered.destroy())
  const err = await put(tampered, 'changed after signing').then(() => undefined, (e: SdkError) => e)
  t.equal(err?.name, 'InvalidSignatureException')
  t.equal(err?.$metadata?.httpStatusCode, 400)
  t.same(endpoint.events('g', 's').map(e => e.message), ['as signed'], 'only the call whose body was signed')
})

t.test('the hash is checked when the client gives one: none, UNSIGNED-PAYLOAD and the right one pass', async t => {
  const { endpoint } = await setup(t)
  const body = putBody(['a'])
  t.equal((await rawPut(endpoint, body)).status, 200, 'no x-amz-content-sha256')
  t.equal((await rawPut(endpoint, body, 1000, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).status, 200)
  t.equal((await rawPut(endpoint, body, 1000, { 'x-amz-content-sha256': sha256(body).toUpperCase() })).status, 200,
    'hex in either case')
  const wrong = await rawPut(endpoint, body, 1000, { 'x-amz-content-sha256': sha256(`${body} `) })
  t.equal(wrong.status, 400)
  t.match(JSON.parse(wrong.body), { __type: 'InvalidSignatureException', message: /x-amz-content-sha256/ })
})
