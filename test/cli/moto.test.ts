import t from 'tap'
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, ListTagsForResourceCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { builtCli, client, motoAvailable, pipeProducer, range, readAll, seqs, startCli, startMoto, type Moto } from '../fixtures/cli-helpers.js'

const motoCheck = motoAvailable()
const missing = builtCli() ?? (motoCheck.ok ? undefined : motoCheck.why)
if (missing && process.env.CI === 'true') {
  t.fail(`cannot run the moto tests in CI: ${missing}`)
} else if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  const GROUP = 'app/cli-moto'
  const STREAM = 'producer-1'
  const COUNT = 1500
  let moto: Moto
  let cw: CloudWatchLogsClient
  let status: { code: number | null }
  let stdout: string

  t.before(async () => {
    moto = await startMoto()
    cw = client(moto.url)
    const cli = startCli(['--log-group-name', GROUP, '--log-stream-name', STREAM, '--endpoint', moto.url,
      '--buffer-duration', '200', '--batch-count', '400', '--max-puts-per-second', '0',
      '--retention-in-days', '7', '--tag', 'team=core', '--tag', 'env=test'])
    pipeProducer(cli, [String(COUNT)])
    status = await cli.exited
    stdout = cli.stdout().toString()
  })
  t.teardown(async () => {
    cw?.destroy()
    await moto?.stop()
  })

  t.test('exits 0 once the input has ended and every line is delivered', async t => {
    t.equal(status.code, 0)
    t.equal(stdout, '', 'nothing on stdout without --tee')
  })

  t.test('every line arrives, in order, stamped with its time field', async t => {
    const events = await readAll(moto.url, GROUP, STREAM)
    t.same(seqs(events), range(COUNT))
    const wrong = events.filter(e => e.timestamp !== (JSON.parse(e.message) as { time: number }).time)
    t.equal(wrong.length, 0, 'each timestamp is the line\'s own time')
  })

  t.test('the group is created with the retention and tags of the flags, and the stream in it', async t => {
    const groups = await cw.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }))
    const group = groups.logGroups?.find(g => g.logGroupName === GROUP)
    t.ok(group, 'group exists')
    t.equal(group?.retentionInDays, 7)
    const tags = await cw.send(new ListTagsForResourceCommand({ resourceArn: group!.arn!.replace(/:\*$/, '') }))
    t.same(tags.tags, { team: 'core', env: 'test' })
    const streams = await cw.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))
    t.same(streams.logStreams?.map(s => s.logStreamName), [STREAM])
  })
}
