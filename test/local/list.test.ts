import t from 'tap'
import { CreateLogGroupCommand, CreateLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs'
import { groupLines, listGroups, type GroupSummary } from '../../lib/local/cli/inspect.js'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { clientFor } from './helpers.js'

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

t.test("list shows a group's deletion protection and KMS key, read through DescribeLogGroups", async (t) => {
  const endpoint = await startLocalEndpoint()
  t.teardown(() => endpoint.close())
  const client = clientFor(t, endpoint)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'plain' }))
  await client.send(new CreateLogGroupCommand({ logGroupName: 'sealed', kmsKeyId: KEY_ARN }))
  await client.send(new CreateLogGroupCommand({ logGroupName: 'vault', kmsKeyId: KEY_ARN, deletionProtectionEnabled: true }))
  await client.send(new CreateLogStreamCommand({ logGroupName: 'vault', logStreamName: 's' }))
  const groups: GroupSummary[] = []
  for await (const group of listGroups(client)) groups.push(group)
  t.same(groups.flatMap((g) => groupLines(g, false)), [
    'plain (no streams)',
    `sealed (KMS key ${KEY_ARN}, no streams)`,
    `vault (deletion protection, KMS key ${KEY_ARN})`,
    '  s  0 events'
  ])
  t.same(groups.map((g) => JSON.parse(groupLines(g, true)[0]!) as unknown), [
    { logGroupName: 'plain', deletionProtectionEnabled: false, streams: [] },
    { logGroupName: 'sealed', deletionProtectionEnabled: false, kmsKeyId: KEY_ARN, streams: [] },
    {
      logGroupName: 'vault',
      deletionProtectionEnabled: true,
      kmsKeyId: KEY_ARN,
      streams: [{ logStreamName: 's', events: 0, storedBytes: 0 }]
    }
  ])
})
