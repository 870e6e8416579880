// Waiting for delivery keeps a process alive; nothing else does. A process that Node ends under a pending flush or
// a paused input (exit code 13, "unsettled top-level await") loses what it held.
import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { range, seqs } from '../helpers/aws.js'
import { startTransport, until } from '../helpers/transport.js'
import { builtCli, pipeProducer, startCli } from '../fixtures/cli-helpers.js'

const inProcess = fileURLToPath(new URL('../fixtures/in-process-flush.mjs', import.meta.url))

t.test('in-process, `await stream.flush()` keeps the process alive until CloudWatch has every line', async t => {
  // Throttled calls wait in backoff sleeps, which hold no handle of their own.
  const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 50, throttleRate: 0.5, seed: 2 } })
  t.teardown(() => ep.close())
  const child = spawn(process.execPath, [inProcess], {
    env: { ...process.env, ENDPOINT: ep.url, STREAM: 'flush', N: '20000', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  const code = await new Promise(resolve => child.on('exit', resolve))
  t.equal(code, 0)
  t.equal(stdout, 'flushed\n', 'the flush resolved')
  t.same(seqs(ep.events('app/live', 'flush')), range(20000))
})

t.test('the CLI with --overflow block (its default): a paused input waits for delivery instead of ending the process', { skip: builtCli() }, async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  // Connections refused for a while: between attempts, only backoff sleeps, which hold no handle of their own.
  const outage = ep.outage(2000)
  const cli = startCli(['--log-group-name', 'app/live', '--log-stream-name', 'block', '--endpoint', ep.url, '--max-buffer-size', '3145728'])
  pipeProducer(cli, ['30000', '', '500'])
  const { code } = await cli.exited
  await outage
  t.equal(code, 0, cli.stderr())
  t.same(seqs(ep.events('app/live', 'block')), range(30000))
})

t.test('a quiet app\'s lines leave the worker after idleFlush, long before bufferDuration', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  // Defaults for both: bufferDuration 10 s, idleFlush 1 s.
  const run = startTransport(ep.url, { logGroupName: 'app/live', logStreamName: 'idle', bufferDuration: 10_000, idleFlush: 1000 })
  const started = Date.now()
  run.logger.info({ seq: 0 }, 'the only line')
  await until(() => ep.events('app/live', 'idle').length === 1, 'the line to be sent without a flush', 5000)
  const waited = Date.now() - started
  t.ok(waited >= 900 && waited < 5000, `sent after ${waited} ms of quiet`)
  await run.end()
})
