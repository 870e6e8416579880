import t from 'tap'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { builtCli, freePort, pipeProducer, range, seqs, startCli } from '../fixtures/cli-helpers.js'

const GROUP = 'app/cli-local'
/** Quick retries and no pacing: the faults below make many calls fail. */
const FAST = ['--max-puts-per-second', '0', '--retry-base-delay', '5', '--retry-max-delay', '50', '--request-timeout', '2000']

const missing = builtCli()
if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  let ep: LocalEndpoint
  const FAULTED = 'faults'
  let faulted: { code: number | null, stdout: Buffer, stderr: string }
  t.before(async () => {
    ep = await startLocalEndpoint({ port: 0 })
    ep.setFaults({ throttleRate: 0.2, serverErrorRate: 0.15, dropRate: 0.15, seed: 7 })
    const cli = startCli(['--log-group-name', GROUP, '--log-stream-name', FAULTED, '--endpoint', ep.url,
      '--buffer-duration', '50', '--batch-count', '100', ...FAST])
    pipeProducer(cli, ['2000'])
    faulted = { code: (await cli.exited).code, stdout: cli.stdout(), stderr: cli.stderr() }
    ep.setFaults({})
  })
  t.teardown(() => ep?.close())
  t.afterEach(() => ep.setFaults({}))

  const newlines = (n: number) => (text: string): boolean => text.split('\n').length > n

  t.test('through throttling, 503s and dropped connections every line arrives exactly once, in order', async t => {
    t.equal(faulted.code, 0, faulted.stderr)
    t.same(seqs(ep.events(GROUP, FAULTED)), range(2000))
    const faults = new Set(ep.calls.map(c => c.fault))
    t.ok(faults.has('throttle') && faults.has('server-error') && faults.has('drop'), 'each kind of fault happened')
  })

  t.test('diagnostics go to stderr, never to stdout', async t => {
    t.match(faulted.stderr, /PutLogEvents failed, will retry/)
    t.equal(faulted.stdout.length, 0)
  })

  t.test('SIGTERM mid-stream: what was read is delivered, exit 0', async t => {
    const stream = 'sigterm'
    // Nothing would be sent for a minute: only the signal's close can deliver the lines.
    const cli = startCli(['--log-group-name', GROUP, '--log-stream-name', stream, '--endpoint', ep.url, '--tee', '--buffer-duration', '60000'])
    const producer = pipeProducer(cli, ['300', 'wait'])
    t.teardown(() => { producer.kill() })
    // The --tee copy is written before the lines go to the pipeline: once it is out, they are in.
    await cli.waitFor('stdout', newlines(300))
    t.equal(ep.events(GROUP, stream).length, 0, 'nothing sent before the signal')
    cli.child.kill('SIGTERM')
    const { code } = await cli.exited
    t.equal(code, 0, cli.stderr())
    t.same(seqs(ep.events(GROUP, stream)), range(300))
  })

  t.test('SIGINT with CloudWatch unreachable: exit 130 and stderr counts the lines left', async t => {
    const port = await freePort()
    const cli = startCli(['--log-group-name', GROUP, '--endpoint', `http://127.0.0.1:${port}`, '--tee', '--close-timeout', '300', ...FAST])
    const producer = pipeProducer(cli, ['40', 'wait'])
    t.teardown(() => { producer.kill() })
    await cli.waitFor('stdout', newlines(40))
    cli.child.kill('SIGINT')
    const { code } = await cli.exited
    t.equal(code, 130)
    t.match(cli.stderr(), /40 events not delivered/)
  })

  t.test('a second signal exits at once', async t => {
    const port = await freePort()
    const cli = startCli(['--log-group-name', GROUP, '--endpoint', `http://127.0.0.1:${port}`, '--tee', '--close-timeout', '600000', ...FAST])
    const producer = pipeProducer(cli, ['10', 'wait'])
    t.teardown(() => { producer.kill() })
    await cli.waitFor('stdout', newlines(10))
    cli.child.kill('SIGTERM')
    await cli.waitFor('stderr', text => /SIGTERM: stopped reading/.test(text))
    cli.child.kill('SIGTERM')
    const { code } = await cli.exited
    t.equal(code, 143)
    t.match(cli.stderr(), /second SIGTERM: exiting without waiting/)
  })

  t.test('CloudWatch unreachable at the end of the input: exit 1 after --close-timeout, stderr says how many and why', async t => {
    const port = await freePort()
    const cli = startCli(['--log-group-name', GROUP, '--endpoint', `http://127.0.0.1:${port}`, '--close-timeout', '300', ...FAST])
    pipeProducer(cli, ['25'])
    const { code } = await cli.exited
    t.equal(code, 1)
    t.match(cli.stderr(), /25 events not delivered: CloudWatch did not take them within --close-timeout 300 ms \(last error: .*ECONNREFUSED/)
  })

  t.test('events the service refuses for good are reported but leave the exit status 0', async t => {
    const stream = 'refused'
    ep.failNext('invalid-parameter')
    const cli = startCli(['--log-group-name', GROUP, '--log-stream-name', stream, '--endpoint', ep.url, ...FAST])
    pipeProducer(cli, ['1'])
    const { code } = await cli.exited
    t.equal(code, 0)
    t.match(cli.stderr(), /1 event was refused by CloudWatch for good/)
    t.equal(ep.events(GROUP, stream).length, 0)
  })

  t.test('--overflow drop-newest: lines dropped while CloudWatch is down make the exit status 1', async t => {
    const stream = 'dropping'
    // The buffer holds about three batches of these lines; every put is throttled until the end.
    ep.setFaults({ throttleRate: 1 })
    const cli = startCli(['--log-group-name', GROUP, '--log-stream-name', stream, '--endpoint', ep.url, '--overflow', 'drop-newest',
      '--max-buffer-size', '3145728', '--close-timeout', '200', ...FAST])
    pipeProducer(cli, ['8000', '', '1000'])
    const { code } = await cli.exited
    t.equal(code, 1)
    t.match(cli.stderr(), /\d+ events dropped: the buffer was full \(--max-buffer-size 3145728, --overflow drop-newest\)/)
  })
}
