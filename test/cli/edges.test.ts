import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { builtCli, CLI, cliEnv, pipeProducer, range, seqs, startCli } from '../fixtures/cli-helpers.js'

const GROUP = 'app/cli-edges'
const BURST_PRODUCER = fileURLToPath(new URL('./burst-producer.mjs', import.meta.url))
const BUSY_START = fileURLToPath(new URL('./busy-start.cjs', import.meta.url))
const FAST = ['--max-puts-per-second', '0', '--retry-base-delay', '5', '--retry-max-delay', '50']

const missing = builtCli()
if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  let ep: LocalEndpoint
  t.before(async () => { ep = await startLocalEndpoint({ port: 0 }) })
  t.teardown(() => ep?.close())
  const args = (stream: string): string[] => ['--log-group-name', GROUP, '--log-stream-name', stream, '--endpoint', ep.url, ...FAST]

  t.test('stderr a broken pipe (a dead collector, 2>&1 | head): no crash, every line stored', async t => {
    const stream = 'epipe'
    // Diagnostics on every few calls: each one is a write into the broken pipe.
    ep.setFaults({ throttleRate: 0.3, seed: 3 })
    t.teardown(() => ep.setFaults({}))
    const cli = startCli([...args(stream), '--batch-count', '100', '--buffer-duration', '20'])
    // Our end of its stderr closes: its next write there fails with EPIPE.
    cli.child.stderr!.destroy()
    pipeProducer(cli, ['2000'])
    const { code, signal } = await cli.exited
    t.same({ code, signal }, { code: 0, signal: null })
    t.same(seqs(ep.events(GROUP, stream)), range(2000), 'every line, in order')
  })

  t.test('stdout a broken pipe under --help (pino-cloudwatch --help | head -1): exit 0, no stack trace', async t => {
    const child = spawn(process.execPath, [CLI, '--help'],
      { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const code = await new Promise(resolve => child.on('close', resolve))
    t.equal(code, 0)
    t.equal(stderr, '')
  })

  t.test('a producer that exits right after a burst, while the CLI is still starting: every line stored', async t => {
    // The CLI's main thread is kept busy for 2 s from the moment it starts its stdin thread, as a slow SDK load would;
    // the producer starts half a second in, writes 20,000 lines (1.6 MB) and exits 300 ms later, taken or not. A pipe
    // made by the shell, as in `node app | pino-cloudwatch`. Read by the main thread, 64 KiB of it arrived; read by the
    // stdin thread, all of it.
    for (let run = 0; run < 2; run++) {
      const stream = `burst-${run}`
      const cli = [process.execPath, CLI, ...args(stream), '--quiet'].map(a => `'${a}'`).join(' ')
      const producer = `'${process.execPath}' '${BURST_PRODUCER}' 20000 300`
      const shell = spawn('bash', ['-c', `(sleep 0.5; exec ${producer}) | NODE_OPTIONS='--require ${BUSY_START}' ${cli}`], {
        env: cliEnv({ BUSY_START_MS: '2000' }), stdio: ['ignore', 'ignore', 'pipe']
      })
      let stderr = ''
      shell.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
      t.equal(await new Promise(resolve => shell.on('close', resolve)), 0, stderr)
      t.same(seqs(ep.events(GROUP, stream)), range(20000), `run ${run + 1}: every line, in order`)
    }
  })

  t.test('a UTF-8 byte-order mark before the first line is not part of it', async t => {
    const stream = 'bom'
    const time = Date.now() - 60_000
    const cli = startCli(args(stream))
    cli.child.stdin!.end(`\ufeff{"time":${time},"seq":0}\nsecond\n`)
    t.equal((await cli.exited).code, 0, cli.stderr())
    const events = ep.events(GROUP, stream)
    t.same(events.map(e => e.message), [`{"time":${time},"seq":0}`, 'second'])
    t.equal(events[0]!.timestamp, time, 'the first line is JSON, its own time read')
  })

  t.test('lines of Unicode whitespace alone are skipped like blank ASCII lines', async t => {
    const stream = 'unicode-blank'
    const cli = startCli(args(stream))
    cli.child.stdin!.end('first\n\u00a0\n\u2028\n\u3000 \u2003\n \t\nlast\n')
    t.equal((await cli.exited).code, 0, cli.stderr())
    t.same(ep.events(GROUP, stream).map(e => e.message), ['first', 'last'])
  })
}
