import t from 'tap'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { builtCli, cliEnv, startCli } from '../fixtures/cli-helpers.js'
import { client } from '../helpers/aws.js'
import { ship } from './helpers.js'

// The built bin as users run it: `pino-cloudwatch tail ...` is the subcommand, real signals end it.

const missing = builtCli()
if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  let ep: LocalEndpoint
  let cw: CloudWatchLogsClient
  t.before(async () => {
    ep = await startLocalEndpoint({ liveTail: { updateIntervalMs: 100 } })
    cw = client(ep.url)
    await ship(cw, 'bin', 'web-1', '{"level":30,"time":1,"msg":"old"}\nstored ✓\n')
  })
  t.teardown(async () => {
    cw?.destroy()
    await ep?.close()
  })

  t.test('tail --help, and a usage error exits 2', async t => {
    const help = startCli(['tail', '--help'])
    t.equal((await help.exited).code, 0)
    t.match(help.stdout().toString(), /^Usage: pino-cloudwatch tail --log-group-name NAME \[flags\]/)
    const bad = startCli(['tail', '--log-group-name', 'bin', '--output', 'xml'])
    t.equal((await bad.exited).code, 2)
    t.match(bad.stderr(), /^pino-cloudwatch tail: invalid value for --output: expected one of pretty, json, raw, got "xml"\nRun 'pino-cloudwatch tail --help'/)
  })

  t.test('the history, raw on a pipe, then exit 0', async t => {
    const cli = startCli(['tail', '--log-group-name', 'bin', '--endpoint', ep.url])
    t.equal((await cli.exited).code, 0, cli.stderr())
    t.equal(cli.stdout().toString(), 'stored ✓\n', 'only the last 10 minutes')
  })

  for (const mode of ['--follow', '--live']) {
    t.test(`${mode}: SIGINT exits 130`, async t => {
      const cli = startCli(['tail', '--log-group-name', 'bin', '--endpoint', ep.url, mode, '--poll-interval', '200'],
        cliEnv({ LOGBEAM_TAIL_OUTPUT: 'json' }))
      if (mode === '--follow') {
        await cli.waitFor('stdout', text => text.includes('stored ✓'))
      } else {
        const calls = (): number => ep.calls.filter(c => c.operation === 'StartLiveTail' && c.status === 200).length
        const before = calls()
        while (calls() === before) await new Promise(resolve => setTimeout(resolve, 20))
        await ship(cw, 'bin', 'web-2', 'live ✓\n')
        await cli.waitFor('stdout', text => text.includes('live ✓'))
      }
      cli.child.kill('SIGINT')
      t.same(await cli.exited, { code: 130, signal: null })
      t.match(JSON.parse(cli.stdout().toString().split('\n')[0]!), { group: 'bin', message: String })
    })
  }
}
