// Delivery on bad days, with default options: an app in a child process logs through pino's worker and ends
// naturally; the endpoint misbehaves; every line must be stored exactly once, and the app must end by itself.
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { seqs } from '../helpers/aws.js'

const app = fileURLToPath(new URL('../fixtures/burst-app.mjs', import.meta.url))
const GROUP = 'app/burst'

interface Run { code: number | null, stderr: string, ms: number }

function runApp (env: Record<string, string>): Promise<Run> {
  const started = Date.now()
  const child = spawn(process.execPath, [app], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  return new Promise(resolve => child.on('close', code => resolve({ code, stderr, ms: Date.now() - started })))
}

async function endpoint (faults: object = {}): Promise<LocalEndpoint> {
  return startLocalEndpoint({ port: 0, faults: { seed: 3, ...faults } })
}

/** Every seq from 0 to n-1 stored exactly once (in any order of arrival: the stream is read in time order). */
function exactlyOnce (t: Test, stored: number[], n: number): void {
  const seen = new Uint8Array(n)
  let duplicates = 0
  let strangers = 0
  for (const seq of stored) {
    if (!(seq >= 0 && seq < n)) strangers++
    else if (seen[seq]++ > 0) duplicates++
  }
  t.equal(stored.length - duplicates - strangers, n, `${n - (stored.length - duplicates - strangers)} of ${n} lost`)
  t.equal(duplicates, 0, 'no duplicates')
  t.equal(strangers, 0, 'nothing else')
}

t.test('a burst of 1,000,000 lines to a fast endpoint: every line stored, with default options', async t => {
  const ep = await endpoint()
  t.teardown(() => ep.close())
  const n = 1_000_000
  const run = await runApp({ ENDPOINT: ep.url, STREAM: 'million', N: String(n), SIZE: '40' })
  t.equal(run.code, 0, run.stderr)
  exactlyOnce(t, seqs(ep.events(GROUP, 'million')), n)
})

t.test('every third call hangs unanswered: every line stored once, and the app ends within pino\'s window', async t => {
  const ep = await endpoint({ hangRate: 0.33 })
  t.teardown(() => ep.close())
  const n = 12_000
  const run = await runApp({ ENDPOINT: ep.url, STREAM: 'hung', N: String(n), RATE: '4000' })
  t.equal(run.code, 0, run.stderr)
  exactlyOnce(t, seqs(ep.events(GROUP, 'hung')), n)
  t.ok(ep.calls.some(c => c.fault === 'hang'), 'calls did hang')
  t.ok(run.ms < n / 4000 * 1000 + 10_000, `ended ${run.ms} ms after start`)
})

t.test('300 ms on every call, a burst of 300,000 lines: every line stored within pino\'s exit window', async t => {
  const ep = await endpoint({ latencyMs: 300 })
  t.teardown(() => ep.close())
  const n = 300_000
  const run = await runApp({ ENDPOINT: ep.url, STREAM: 'slow', N: String(n) })
  t.equal(run.code, 0, run.stderr)
  exactlyOnce(t, seqs(ep.events(GROUP, 'slow')), n)
})
