import t from 'tap'
import { once } from 'node:events'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { client } from '../fixtures/cli-helpers.js'
import { runInProcess } from '../fixtures/cli-in-process.js'

const GROUP = 'app/cli-block'
const LINES = 4000
const PAD = 'b'.repeat(1000)

t.test('--overflow block: reading stops while the buffer is full, goes on once CloudWatch catches up, and loses nothing', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const cw = client(ep.url)
  t.teardown(() => cw.destroy())
  // Every put is throttled until the test lifts it: what was read can only pile up.
  ep.setFaults({ throttleRate: 1 })
  const cli = runInProcess(['--log-group-name', GROUP, '--log-stream-name', 'block', '--max-buffer-size', '3145728',
    '--batch-count', '100', '--buffer-duration', '20', '--max-puts-per-second', '0', '--retry-base-delay', '5', '--retry-max-delay', '20'], {}, cw)
  const paused = once(cli.stdin, 'pause')
  // Times one ms apart: the order stored does not depend on which of the final puts lands first.
  const start = Date.now() - LINES
  for (let seq = 0; seq < LINES; seq++) cli.stdin.write(`${JSON.stringify({ time: start + seq, seq, pad: PAD })}\n`)
  cli.stdin.end()

  await paused
  t.ok(cli.stdin.readableLength > 0, `input left unread while blocked (${cli.stdin.readableLength} bytes)`)
  t.equal(ep.events(GROUP, 'block').length, 0, 'nothing stored yet')

  ep.setFaults({})
  t.equal(await cli.done, 0, cli.stderr())
  const seqs = ep.events(GROUP, 'block').map(e => (JSON.parse(e.message) as { seq: number }).seq)
  t.same(seqs, Array.from({ length: LINES }, (_, i) => i), 'every line, in order')
  t.notMatch(cli.stderr(), /dropp/)
})
