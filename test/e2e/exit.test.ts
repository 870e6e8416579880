import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { range, seqs } from '../helpers/aws.js'
import { freePort } from '../helpers/moto.js'

const app = fileURLToPath(new URL('../fixtures/exit-app.mjs', import.meta.url))

function runApp (env: Record<string, string>, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<{ code: number | null, stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [app], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env } })
    let stderr = ''
    child.stderr.on('data', d => { stderr += d })
    child.stdout.on('data', d => onStdout?.(String(d), s => child.kill(s)))
    child.on('exit', code => resolve({ code, stderr }))
  })
}

const modes: Array<[string, number]> = [['natural', 0], ['exit', 0], ['uncaught', 1], ['rejection', 1]]
for (const [mode, expected] of modes) {
  t.test(`every line logged before ${mode} reaches CloudWatch`, async t => {
    const ep = await startLocalEndpoint({ port: 0 })
    t.teardown(() => ep.close())
    const { code } = await runApp({ ENDPOINT: ep.url, MODE: mode, STREAM: mode })
    t.equal(code, expected, 'the exit code is the app\'s own')
    t.same(seqs(ep.events('app/exit', mode)), range(200))
  })
}

for (const [mode, signal, expected] of [['sigterm', 'SIGTERM', 143], ['sigint', 'SIGINT', 130]] as const) {
  t.test(`${signal} with flushOnSignals(): every line arrives, exit code ${expected}`, async t => {
    const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 50 } })
    t.teardown(() => ep.close())
    const { code } = await runApp({ ENDPOINT: ep.url, MODE: mode, STREAM: mode }, (text, kill) => {
      if (text.includes('ready')) kill(signal)
    })
    t.equal(code, expected)
    t.same(seqs(ep.events('app/exit', mode)), range(200))
  })
}

t.test('as one of several targets, beside pino/file: both get every line at exit', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const file = join(mkdtempSync(join(tmpdir(), 'logbeam-targets-')), 'app.log')
  const { code } = await runApp({ ENDPOINT: ep.url, MODE: 'natural', STREAM: 'targets', FILE: file })
  t.equal(code, 0)
  t.same(seqs(ep.events('app/exit', 'targets')), range(200))
  t.same(readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l).seq), range(200))
})

t.test('with no clientConfig, the standard AWS environment variables are used', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const { code } = await runApp({
    MODE: 'natural',
    STREAM: 'env',
    ENV_ONLY: '1',
    AWS_ENDPOINT_URL: ep.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test'
  })
  t.equal(code, 0)
  t.same(seqs(ep.events('app/exit', 'env')), range(200))
})

t.test('CloudWatch unreachable at exit: the process still ends, and says what was not delivered', async t => {
  const nobody = `http://127.0.0.1:${await freePort()}`
  const started = Date.now()
  const { code, stderr } = await runApp({ ENDPOINT: nobody, MODE: 'exit', STREAM: 'unreachable', CLOSE_TIMEOUT: '1000' })
  t.equal(code, 0, 'the app\'s own exit code')
  t.match(stderr, /logbeam: 200 events not delivered within closeTimeout \(1000 ms\)/)
  t.ok(Date.now() - started < 9000, 'well inside pino\'s exit window')
})
