import t from 'tap'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { builtCli, startCli, untilCli } from '../fixtures/cli-helpers.js'

const GROUP = 'app/cli-input'
const STREAM = 'bad-input'

// One run of the CLI over every kind of awkward input; each test below checks one of them.
// None of the lines is JSON with a time, so all are stamped with the (rising) time they were
// read and stored in input order.
const BIG = `big:${'é0123456789'.repeat(200_000)}` // 2.4 MB of UTF-8
const HEAD = Buffer.concat([
  Buffer.from('plain text\n{"broken json\n[1,2,3]\n'),
  Buffer.from('\n\n   \n\t\n'),
  Buffer.from('crlf line\r\n'),
  Buffer.from('bad \xff\xfe bytes\n', 'latin1'),
  Buffer.from([0xe2, 0x82]), Buffer.from(' cut character\n'),
  Buffer.from(`${BIG}\n`)
])
const TAIL = Buffer.from('last line without newline')
const INPUT = Buffer.concat([HEAD, TAIL])
/** The six short lines, then the first two full parts of BIG: the batches sent while reading. */
const SENT_WHILE_READING = 8

const missing = builtCli()
if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  let ep: LocalEndpoint
  let code: number | null
  let stdout: Buffer
  let stderr: string
  let messages: string[]
  let timestamps: number[]
  let started: number
  let ended: number

  t.before(async () => {
    ep = await startLocalEndpoint({ port: 0 })
    started = Date.now()
    const cli = startCli(['--log-group-name', GROUP, '--log-stream-name', STREAM, '--endpoint', ep.url, '--max-puts-per-second', '0', '--tee'])
    // The parts of BIG share one timestamp. At the end of the input the last batches go out in
    // parallel, so the input ends only once the full parts have been sent, one after the other.
    cli.child.stdin!.write(HEAD)
    await untilCli('the full parts to be stored', () => ep.events(GROUP, STREAM).length >= SENT_WHILE_READING, cli)
    cli.child.stdin!.end(TAIL)
    code = (await cli.exited).code
    ended = Date.now()
    stdout = cli.stdout()
    stderr = cli.stderr()
    const events = ep.events(GROUP, STREAM)
    messages = events.map(e => e.message)
    timestamps = events.map(e => e.timestamp)
  })
  t.teardown(() => ep?.close())

  t.test('nothing in the input makes the CLI fail: exit 0, no event refused', async t => {
    t.equal(code, 0, stderr)
    t.notMatch(stderr, /refused/)
  })

  t.test('lines that are not JSON are shipped as they are, stamped with the time they were read', async t => {
    t.same(messages.slice(0, 3), ['plain text', '{"broken json', '[1,2,3]'])
    t.ok(timestamps.slice(0, 3).every(ts => ts >= started && ts <= ended), 'read time')
  })

  t.test('empty and blank lines are skipped', async t => {
    t.equal(messages.filter(m => m.trim() === '').length, 0)
    t.equal(messages[3], 'crlf line', 'the line after them follows the line before them')
  })

  t.test('a CRLF line end loses its \\r', async t => {
    t.equal(messages[3], 'crlf line')
  })

  t.test('invalid UTF-8 arrives as U+FFFD', async t => {
    t.same(messages.slice(4, 6), ['bad \ufffd\ufffd bytes', '\ufffd cut character'])
  })

  t.test('a line over 1 MB arrives as parts that join back to the original', async t => {
    const parts = messages.slice(6, -1)
    t.ok(parts.length >= 3, `split in ${parts.length} parts`)
    t.ok(parts.every(p => Buffer.byteLength(p) <= 1_048_576 - 26), 'each part within the event limit')
    t.equal(parts.join(''), BIG)
  })

  t.test('a last line without a newline is shipped', async t => {
    t.equal(messages.at(-1), 'last line without newline')
  })

  t.test('--tee copies stdin to stdout byte for byte', async t => {
    t.ok(stdout.equals(INPUT), 'identical bytes')
  })
}
