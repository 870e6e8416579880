import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { builtCli, startCli } from '../fixtures/cli-helpers.js'

// The CLI (dist/cli/main.js, a child process) with --metrics, into the local endpoint.

const METRICS = { namespace: 'MyApp', dimensions: [['service']], fields: { latencyMs: 'Milliseconds' } }
const TIME = Date.now() - 1000

const lines = [
  JSON.stringify({ level: 30, time: TIME, service: 'api', latencyMs: 12, msg: 'request' }),
  JSON.stringify({ level: 30, time: TIME + 1, service: 'api', msg: 'no metric' }),
  'plain text with "latencyMs": 3 in it',
  JSON.stringify({ level: 30, time: TIME + 2, _aws: { Timestamp: TIME, CloudWatchMetrics: [{ Namespace: 'AWS/Mine', Dimensions: [], Metrics: [] }] } })
]

const missing = builtCli()
if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  t.test('--metrics @FILE: metric lines get _aws, the rest is stored as read; bad EMF is reported on stderr', async t => {
    const ep = await startLocalEndpoint()
    t.teardown(() => ep.close())
    const file = join(mkdtempSync(join(tmpdir(), 'logbeam-cli-metrics-')), 'metrics.json')
    writeFileSync(file, JSON.stringify(METRICS))
    const cli = startCli(['--log-group-name', 'app/cli', '--log-stream-name', 's', '--endpoint', ep.url, '--metrics', `@${file}`])
    cli.child.stdin!.end(lines.join('\n') + '\n')
    const { code } = await cli.exited
    t.equal(code, 0, cli.stderr())
    const stored = ep.events('app/cli', 's').map(e => e.message)
    t.equal(stored.length, 4)
    const aws = {
      Timestamp: TIME,
      CloudWatchMetrics: [{ Namespace: 'MyApp', Dimensions: [['service']], Metrics: [{ Name: 'latencyMs', Unit: 'Milliseconds' }] }]
    }
    t.equal(stored[0], `{"_aws":${JSON.stringify(aws)},${lines[0]!.slice(1)}`, 'exactly the block, then the line as read')
    t.same(JSON.parse(stored[0]!)._aws, aws)
    // The plain line is stamped when read, so it is stored last.
    t.same(stored.slice(1).sort(), lines.slice(1).sort(), 'the others as read')
    t.match(cli.stderr(), /logbeam: 1 line with metrics CloudWatch will not extract: CloudWatchMetrics\[0\]: namespace "AWS\/Mine"/)
    t.same(ep.metrics({ namespace: 'MyApp', name: 'latencyMs', dimensions: { service: 'api' } }).map(p => [p.value, p.timestamp]), [[12, TIME]])
  })

  t.test('a bad --metrics value exits 2 before anything is read, naming the setting', async t => {
    const cli = startCli(['--log-group-name', 'app/cli', '--metrics', JSON.stringify({ ...METRICS, fields: { latencyMs: 'ms' } })])
    cli.child.stdin!.end()
    const { code } = await cli.exited
    t.equal(code, 2)
    t.match(cli.stderr(), /invalid value for --metrics: metrics\.fields\.latencyMs: expected one of the CloudWatch units/)
  })
}
