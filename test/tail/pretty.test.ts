import t from 'tap'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { readingFrom, ship, tail } from './helpers.js'

// --output pretty prints what pino-pretty itself prints for the same lines, flags passed through included.

const PINO_PRETTY = createRequire(import.meta.url).resolve('pino-pretty/bin.js')

/** `pino-pretty ARGS` (its own bin) on `input`. */
function pinoPretty (args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PINO_PRETTY, ...args], { env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
    child.on('error', reject)
    child.on('close', () => resolve(out))
    child.stdin.end(input)
  })
}

const base = Date.now() - 60_000
const LINES = [
  { level: 30, time: base, pid: 42, hostname: 'web-1', msg: 'server listening', port: 8080 },
  { level: 20, time: base + 1, pid: 42, hostname: 'web-1', msg: 'a debug line', req: { method: 'GET', url: '/ü' } },
  { level: 40, time: base + 2, pid: 42, hostname: 'web-1', tenant: 't-7', msg: 'slow query ✓', ms: 1234 },
  { level: 50, time: base + 3, pid: 42, hostname: 'web-1', msg: 'boom', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at main (app.js:1:1)' } },
  { level: 60, time: base + 4, pid: 42, hostname: 'web-1', name: 'db', msg: '日本語' }
].map(line => JSON.stringify(line))
const INPUT = LINES.join('\n') + '\nnot JSON: printed as it is\n'

const local = readingFrom(startLocalEndpoint, ep => ep.close(), cw => ship(cw, 'pretty', 's', INPUT))

const CASES: Array<{ tail: string[], pinoPretty: string[] }> = [
  { tail: ['--no-colorize'], pinoPretty: ['--no-colorize'] },
  { tail: ['--colorize'], pinoPretty: ['--colorize'] },
  {
    tail: ['--no-colorize', '--level-first', '--translate-time', 'SYS:standard', '--ignore', 'pid,hostname'],
    pinoPretty: ['--no-colorize', '--levelFirst', '--translateTime', 'SYS:standard', '--ignore', 'pid,hostname']
  },
  { tail: ['--no-colorize', '--single-line', '--no-translate-time'], pinoPretty: ['--no-colorize', '--singleLine', '--translateTime', 'false'] },
  { tail: ['--no-colorize', '--hide-object', '--minimum-level', 'warn'], pinoPretty: ['--no-colorize', '--hideObject', '--minimumLevel', 'warn'] },
  { tail: ['--no-colorize', '--include', 'level,time'], pinoPretty: ['--no-colorize', '--include', 'level,time'] },
  {
    tail: ['--no-colorize', '--message-format', '[{tenant}] {msg}', '--message-key', 'msg'],
    pinoPretty: ['--no-colorize', '--messageFormat', '[{tenant}] {msg}', '--messageKey', 'msg']
  }
]

for (const c of CASES) {
  t.test(`tail --output pretty ${c.tail.join(' ')} = pino-pretty ${c.pinoPretty.join(' ')}`, async t => {
    const run = tail(local.server.url, ['--log-group-name', 'pretty', '--output', 'pretty', ...c.tail], local.cw)
    t.equal(await run.done, 0, run.stderr())
    const expected = await pinoPretty(c.pinoPretty, INPUT)
    t.ok(expected.length > 0, 'pino-pretty printed something')
    t.equal(run.stdout().toString('utf8'), expected)
    if (c.tail.includes('--colorize')) t.match(expected, '\u001b[', 'in colour')
  })
}

t.test('the pino-pretty flags are also read from LOGBEAM_TAIL_* variables', async t => {
  const env = { LOGBEAM_TAIL_OUTPUT: 'pretty', LOGBEAM_TAIL_COLORIZE: 'false', LOGBEAM_TAIL_LEVEL_FIRST: 'true', LOGBEAM_TAIL_IGNORE: 'pid' }
  const run = tail(local.server.url, ['--log-group-name', 'pretty'], local.cw, env)
  t.equal(await run.done, 0, run.stderr())
  t.equal(run.stdout().toString('utf8'), await pinoPretty(['--no-colorize', '--levelFirst', '--ignore', 'pid'], INPUT))
})

t.test('stdout not a terminal: raw output by default', async t => {
  const run = tail(local.server.url, ['--log-group-name', 'pretty'], local.cw)
  t.equal(await run.done, 0, run.stderr())
  t.equal(run.stdout().toString('utf8'), INPUT)
})
