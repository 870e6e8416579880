import { request } from 'node:http'
import t from 'tap'
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand,
  DescribeLogStreamsCommand, PutLogEventsCommand, PutRetentionPolicyCommand, ResourceAlreadyExistsException,
  type CloudWatchLogsClient
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { clientFor, errorOf, type Teardown } from './helpers.js'

const ALLOWED_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

/** An empty endpoint and a client that never retries. */
async function setup (t: Teardown): Promise<{ endpoint: LocalEndpoint, client: CloudWatchLogsClient }> {
  const endpoint = await startLocalEndpoint()
  t.teardown(() => endpoint.close())
  return { endpoint, client: clientFor(t, endpoint) }
}

t.test('a created group is described with its class, key and retention', async (t) => {
  const { client } = await setup(t)
  const kmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
  await client.send(new CreateLogGroupCommand({ logGroupName: 'app/one', logGroupClass: 'INFREQUENT_ACCESS', kmsKeyId, tags: { team: 'a' } }))
  await client.send(new PutRetentionPolicyCommand({ logGroupName: 'app/one', retentionInDays: 30 }))
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({}))
  t.match(logGroups, [{
    logGroupName: 'app/one',
    logGroupClass: 'INFREQUENT_ACCESS',
    kmsKeyId,
    deletionProtectionEnabled: false,
    retentionInDays: 30,
    storedBytes: 0,
    arn: /:log-group:app\/one:\*$/,
    creationTime: Number
  }])
})

t.test('creating an existing group or stream is ResourceAlreadyExistsException', async (t) => {
  const { client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  const group = await errorOf(client.send(new CreateLogGroupCommand({ logGroupName: 'g' })))
  t.ok(group instanceof ResourceAlreadyExistsException)
  t.equal(group.name, 'ResourceAlreadyExistsException')
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }))
  const stream = await errorOf(client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' })))
  t.equal(stream.name, 'ResourceAlreadyExistsException')
})

t.test('group names: 512 allowed characters pass; 513, other characters and aws/ fail', async (t) => {
  const { endpoint, client } = await setup(t)
  for (const name of ['a'.repeat(512), '/aws/lambda/fn', 'A-z_0.9/#x']) {
    await client.send(new CreateLogGroupCommand({ logGroupName: name }))
  }
  for (const name of ['a'.repeat(513), 'has space', 'colon:', 'star*', 'aws/mine', '']) {
    const err = await errorOf(client.send(new CreateLogGroupCommand({ logGroupName: name })))
    t.equal(err.name, 'InvalidParameterException', JSON.stringify(name.slice(0, 20)))
  }
  t.equal(endpoint.groups().length, 3)
})

t.test('stream names: 512 characters pass; 513, : and * fail', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  for (const name of ['s'.repeat(512), 'host 1/pid#2 é']) {
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }))
  }
  for (const name of ['s'.repeat(513), 'a:b', 'a*b']) {
    const err = await errorOf(client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name })))
    t.equal(err.name, 'InvalidParameterException', name.slice(0, 20))
  }
  t.equal(endpoint.streams('g').length, 2)
})

t.test('a stream needs its group', async (t) => {
  const { client } = await setup(t)
  const err = await errorOf(client.send(new CreateLogStreamCommand({ logGroupName: 'none', logStreamName: 's' })))
  t.equal(err.name, 'ResourceNotFoundException')
  t.equal(err.message, 'The specified log group does not exist.')
})

t.test('retention: every allowed value is accepted', async (t) => {
  const { client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  for (const days of ALLOWED_DAYS) {
    await client.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: days }))
  }
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'g' }))
  t.equal(logGroups?.[0]?.retentionInDays, 3653)
})

t.test('retention: other values fail, naming the allowed ones', async (t) => {
  const { client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  for (const days of [0, 2, 8, 3654]) {
    const err = await errorOf(client.send(new PutRetentionPolicyCommand({ logGroupName: 'g', retentionInDays: days })))
    t.equal(err.name, 'InvalidParameterException')
    t.match(err.message, `[${ALLOWED_DAYS.join(', ')}]`)
  }
})

t.test('DescribeLogGroups filters by prefix and pages with nextToken', async (t) => {
  const { client } = await setup(t)
  for (const name of ['svc/c', 'svc/a', 'other', 'svc/b']) await client.send(new CreateLogGroupCommand({ logGroupName: name }))
  const first = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'svc/', limit: 2 }))
  t.same(first.logGroups?.map((g) => g.logGroupName), ['svc/a', 'svc/b'])
  t.type(first.nextToken, 'string')
  const second = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'svc/', limit: 2, nextToken: first.nextToken }))
  t.same(second.logGroups?.map((g) => g.logGroupName), ['svc/c'])
  t.equal(second.nextToken, undefined)
})

t.test('DescribeLogStreams filters by prefix and reports event times', async (t) => {
  const { client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  for (const name of ['web-2', 'web-1', 'db-1']) await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }))
  const now = Date.now()
  await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 'web-1', logEvents: [{ timestamp: now - 5, message: 'a' }, { timestamp: now, message: 'bc' }] }))
  const { logStreams } = await client.send(new DescribeLogStreamsCommand({ logGroupName: 'g', logStreamNamePrefix: 'web-' }))
  t.same(logStreams?.map((s) => s.logStreamName), ['web-1', 'web-2'])
  t.match(logStreams?.[0], { firstEventTimestamp: now - 5, lastEventTimestamp: now, storedBytes: 3, lastIngestionTime: Number })
})

t.test('DeleteLogGroup removes the group; deleting again is ResourceNotFoundException', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  await client.send(new DeleteLogGroupCommand({ logGroupName: 'g' }))
  t.same(endpoint.groups(), [])
  const err = await errorOf(client.send(new DeleteLogGroupCommand({ logGroupName: 'g' })))
  t.equal(err.name, 'ResourceNotFoundException')
})

t.test('deleteLogGroup() from the test side makes the next put fail with ResourceNotFoundException', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }))
  const send = (): Promise<unknown> => client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'x' }] }))
  await send()
  endpoint.deleteLogGroup('g')
  t.same(endpoint.streams('g'), [])
  t.same(endpoint.events('g', 's'), [])
  const err = await errorOf(send())
  t.equal(err.name, 'ResourceNotFoundException')
  t.equal(err.message, 'The specified log group does not exist.')
})

t.test('an unknown operation is 400 UnknownOperationException, in the protocol\'s error shape', async (t) => {
  const { endpoint } = await setup(t)
  const res = await new Promise<{ status: number, headers: Record<string, unknown>, body: string }>((resolve, reject) => {
    const req = request(`${endpoint.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.Nope' }
    }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end('{}')
  })
  t.equal(res.status, 400)
  t.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException')
  t.equal(res.headers['content-type'], 'application/x-amz-json-1.1')
  t.match(JSON.parse(res.body), { __type: 'UnknownOperationException', message: /Nope/ })
})
