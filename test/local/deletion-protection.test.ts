import t from 'tap'
import {
  CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, PutLogGroupDeletionProtectionCommand,
  ValidationException, type CloudWatchLogsClient, type PutLogGroupDeletionProtectionCommandInput
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { clientFor, errorOf, type Teardown } from './helpers.js'

async function setup (t: Teardown): Promise<{ endpoint: LocalEndpoint, client: CloudWatchLogsClient }> {
  const endpoint = await startLocalEndpoint()
  t.teardown(() => endpoint.close())
  return { endpoint, client: clientFor(t, endpoint) }
}

async function protection (client: CloudWatchLogsClient): Promise<Array<[string?, boolean?]>> {
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({}))
  return (logGroups ?? []).map((g) => [g.logGroupName, g.deletionProtectionEnabled])
}

t.test('CreateLogGroup stores deletionProtectionEnabled; DescribeLogGroups shows it, false by default', async (t) => {
  const { client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'default' }))
  await client.send(new CreateLogGroupCommand({ logGroupName: 'off', deletionProtectionEnabled: false }))
  await client.send(new CreateLogGroupCommand({ logGroupName: 'on', deletionProtectionEnabled: true }))
  t.same(await protection(client), [['default', false], ['off', false], ['on', true]])
})

t.test('DeleteLogGroup of a protected group is ValidationException, and the group stays', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g', deletionProtectionEnabled: true }))
  const err = await errorOf(client.send(new DeleteLogGroupCommand({ logGroupName: 'g' })))
  t.ok(err instanceof ValidationException, err.name)
  t.equal(err.$metadata?.httpStatusCode, 400)
  t.equal(err.message, 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.')
  t.same(endpoint.groups(), ['g'])
  t.match(endpoint.calls.at(-1), { operation: 'DeleteLogGroup', status: 400, error: 'ValidationException' })
})

t.test('PutLogGroupDeletionProtection turns protection off (by name) and on (by ARN)', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'app/one', deletionProtectionEnabled: true }))
  await client.send(new CreateLogGroupCommand({ logGroupName: 'app/two' }))
  const off = await client.send(new PutLogGroupDeletionProtectionCommand({
    logGroupIdentifier: 'app/one', deletionProtectionEnabled: false
  }))
  t.equal(off.$metadata.httpStatusCode, 200)
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app/two' }))
  const arn = logGroups?.[0]?.logGroupArn
  t.match(arn, /^arn:aws:logs:[^:]+:\d{12}:log-group:app\/two$/)
  await client.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: arn, deletionProtectionEnabled: true }))
  t.same(await protection(client), [['app/one', false], ['app/two', true]])
  await client.send(new DeleteLogGroupCommand({ logGroupName: 'app/one' }))
  t.equal((await errorOf(client.send(new DeleteLogGroupCommand({ logGroupName: 'app/two' })))).name, 'ValidationException')
  t.same(endpoint.groups(), ['app/two'])
})

t.test('PutLogGroupDeletionProtection needs both members and an existing group', async (t) => {
  const { client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  // The SDK sends what it is given; the service is the one to refuse a missing member.
  const send = (input: Partial<PutLogGroupDeletionProtectionCommandInput>): Promise<unknown> =>
    client.send(new PutLogGroupDeletionProtectionCommand(input as PutLogGroupDeletionProtectionCommandInput))
  const noFlag = await errorOf(send({ logGroupIdentifier: 'g' }))
  t.equal(noFlag.name, 'InvalidParameterException')
  t.match(noFlag.message, /Value null at 'deletionProtectionEnabled' failed to satisfy constraint: Member must not be null/)
  const noGroup = await errorOf(send({ deletionProtectionEnabled: true }))
  t.equal(noGroup.name, 'InvalidParameterException')
  t.match(noGroup.message, /Value null at 'logGroupIdentifier'/)
  const missing = await errorOf(send({ logGroupIdentifier: 'nope', deletionProtectionEnabled: true }))
  t.equal(missing.name, 'ResourceNotFoundException')
  t.equal(missing.message, 'The specified log group does not exist.')
  t.same(await protection(client), [['g', false]], 'nothing changed')
})

t.test('deleteLogGroup() from the test side removes a protected group', async (t) => {
  const { endpoint, client } = await setup(t)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g', deletionProtectionEnabled: true }))
  endpoint.deleteLogGroup('g')
  t.same(endpoint.groups(), [])
})
