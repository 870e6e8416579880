import t from 'tap'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { builtCli, client, freePort, startCli } from '../fixtures/cli-helpers.js'
import { runInProcess } from '../fixtures/cli-in-process.js'

const GROUP = 'app/cli-spool'
const LINES = 6000
const PAD = 's'.repeat(1000)

t.test('--overflow block with --spool-dir: batches go to disk instead of stopping the input, and the next run sends them', { skip: builtCli() }, async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const cw = client(ep.url)
  t.teardown(() => cw.destroy())
  const dir = mkdtempSync(join(tmpdir(), 'logbeam-cli-spool-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const argv = ['--log-group-name', GROUP, '--log-stream-name', 'spooled', '--spool-dir', dir, '--max-buffer-size', '3145728',
    '--batch-count', '100', '--max-puts-per-second', '0', '--retry-base-delay', '5', '--retry-max-delay', '20']

  // CloudWatch cannot be reached: 6 MB of input against a 3 MB buffer can only be read to the end
  // thanks to the spool. (Unreachable rather than failing, so no put of this run can land later.) A process of its
  // own: the spool leaves alone the folders of processes still running, this test's among them.
  const first = startCli([...argv, '--endpoint', `http://127.0.0.1:${await freePort()}`, '--close-timeout', '300'])
  const start = Date.now() - LINES
  for (let seq = 0; seq < LINES; seq++) first.child.stdin!.write(`${JSON.stringify({ time: start + seq, seq, pad: PAD })}\n`)
  first.child.stdin!.end()
  t.equal((await first.exited).code, 1)
  t.match(first.stderr(), new RegExp(`${LINES} events not delivered: .*; they stay in ${dir}`))
  t.ok(readdirSync(dir).length > 0, 'batches left in the spool')

  const second = runInProcess([...argv, '--close-timeout', '60000'], {}, cw)
  second.stdin.end()
  t.equal(await second.done, 0, second.stderr())
  const seqs = ep.events(GROUP, 'spooled').map(e => (JSON.parse(e.message) as { seq: number }).seq)
  t.same(seqs, Array.from({ length: LINES }, (_, i) => i), 'every line, once, in order')
})
