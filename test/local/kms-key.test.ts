import t from 'tap'
import { CreateLogGroupCommand, DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { clientFor, errorOf, type Teardown } from './helpers.js'

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

async function setup (t: Teardown): Promise<{ endpoint: LocalEndpoint, client: CloudWatchLogsClient }> {
  const endpoint = await startLocalEndpoint()
  t.teardown(() => endpoint.close())
  return { endpoint, client: clientFor(t, endpoint) }
}

/** A key ARN of exactly `length` characters. */
function keyArnOf (length: number): string {
  const prefix = 'arn:aws:kms:us-east-1:123456789012:key/'
  return prefix + 'a'.repeat(length - prefix.length)
}

t.test('a key ARN or an alias ARN is stored and described with the group', async (t) => {
  const { client } = await setup(t)
  const accepted = [
    KEY_ARN,
    'arn:aws:kms:eu-west-3:123456789012:alias/app/logs_key-1',
    'arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
  ]
  for (const [i, kmsKeyId] of accepted.entries()) {
    await client.send(new CreateLogGroupCommand({ logGroupName: `g${i}`, kmsKeyId }))
  }
  await client.send(new CreateLogGroupCommand({ logGroupName: 'plain' }))
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({}))
  t.same(logGroups?.map((g) => [g.logGroupName, g.kmsKeyId]), [
    ...accepted.map((kmsKeyId, i) => [`g${i}`, kmsKeyId]),
    ['plain', undefined]
  ])
})

t.test('kmsKeyId: 256 characters pass, 257 fail the call with the length constraint', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'exact', kmsKeyId: keyArnOf(256) }))
  const err = await errorOf(client.send(new CreateLogGroupCommand({ logGroupName: 'over', kmsKeyId: keyArnOf(257) })))
  t.equal(err.name, 'InvalidParameterException')
  t.equal(err.$metadata?.httpStatusCode, 400)
  t.match(err.message, /at 'kmsKeyId' failed to satisfy constraint: Member must have length less than or equal to 256$/)
  t.same(endpoint.groups(), ['exact'])
})

t.test('anything but a KMS key or alias ARN is refused, naming the value and the form wanted', async (t) => {
  const { endpoint, client } = await setup(t)
  const refused = [
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'alias/app-logs',
    'arn:aws:kms:us-east-1:12345678901:key/k',
    'arn:aws:kms:us-east-1:1234567890123:key/k',
    'arn:aws:logs:us-east-1:123456789012:key/k',
    'arn:aws:kms::123456789012:key/k',
    'arn:aws:kms:us-east-1:123456789012:key/',
    'arn:aws:kms:us-east-1:123456789012:keys/k',
    `${KEY_ARN} `,
    ''
  ]
  for (const kmsKeyId of refused) {
    const err = await errorOf(client.send(new CreateLogGroupCommand({ logGroupName: 'g', kmsKeyId })))
    t.equal(err.name, 'InvalidParameterException', kmsKeyId)
    t.equal(err.message, 'The specified KMS Key Id could not be found. kmsKeyId must be the ARN of a KMS key ' +
      `(arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID, or :alias/NAME), got '${kmsKeyId}'.`)
  }
  t.same(endpoint.groups(), [], 'no group was created')
})
