// A logger that nothing in the app holds, under forced garbage collection: thread-stream's
// FinalizationRegistry terminates the worker of a collected stream, losing what it buffers and any
// pending flush. logbeam's transport() holds the stream until it closes. Each case runs
// test/fixtures/gc-app.mjs in a child `node --expose-gc`, which imports 'logbeam' (dist/: build first).
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { transport } from '../../lib/app-transport.js'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { range, seqs } from '../helpers/aws.js'
import { until } from '../helpers/transport.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const GROUP = 'app/gc'

interface Exit { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/** Runs a scenario of the app against `ep`; killed if it outlives the test's patience. */
function runApp (scenario: string, ep: LocalEndpoint): { exited: Promise<Exit>, kill: () => void } {
  const env: NodeJS.ProcessEnv = { ...process.env, LOGBEAM_TEST_ENDPOINT: ep.url, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
  delete env.NODE_OPTIONS // the test runner's TypeScript loader: the app is plain JS on dist/
  const child = spawn(process.execPath, ['--expose-gc', join(root, 'test', 'fixtures', 'gc-app.mjs'), scenario], { cwd: root, env })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const exited = new Promise<Exit>(resolve => child.on('close', (code, signal) => {
    clearTimeout(timer)
    resolve({ code, signal, stdout, stderr })
  }))
  return { exited, kill: () => child.kill('SIGKILL') }
}

if (!existsSync(join(root, 'dist', 'index.js'))) {
  t.fail('dist/ is not built: run `npx tsc -p tsconfig.build.json` first')
} else {
  t.test('a logger made and dropped inside a function delivers every line at exit', async t => {
    const ep = await startLocalEndpoint({ port: 0 })
    t.teardown(() => ep.close())
    const run = await runApp('scoped', ep).exited
    t.equal(run.code, 0, 'exits 0', { stderr: run.stderr })
    t.same(seqs(ep.events(GROUP, 'scoped')), range(100), 'all 100 lines, in order')
  })

  t.test('a flush pending while GC runs over and over calls back once every line is stored', async t => {
    // Each call waits 200 ms at the endpoint: the flush stays pending across many collections.
    const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 200 } })
    t.teardown(() => ep.close())
    const run = await runApp('flush', ep).exited
    t.equal(run.code, 0, 'exits 0 (13 would mean the flush never called back)', { stderr: run.stderr })
    t.match(run.stdout, /^flushed$/m, 'the flush called back')
    t.same(seqs(ep.events(GROUP, 'flush')), range(100), 'all 100 lines, in order')
  })

  t.test('an idle logger keeps its worker through GC: its idle timer sends every line', async t => {
    const ep = await startLocalEndpoint({ port: 0 })
    t.teardown(() => ep.close())
    const app = runApp('idle', ep)
    t.teardown(app.kill)
    await until(() => ep.streams(GROUP).includes('idle') && ep.events(GROUP, 'idle').length >= 100,
      'the idle app to deliver its lines', 30_000)
    t.same(seqs(ep.events(GROUP, 'idle')), range(100), 'all 100 lines, in order, while the app runs')
    app.kill()
    t.equal((await app.exited).signal, 'SIGKILL', 'the app was still running (idle, collecting) until killed')
  })

  t.test('a closed transport is let go (the hold is no leak)', async t => {
    // In-process, with a stand-in for pino (a real closed ThreadStream stays reachable from thread-stream
    // itself, whoever made it). V8's gc() is switched on at run time, as --expose-gc would.
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const pino = { transport: () => new EventEmitter() }
    const held = new WeakRef(transport({ logGroupName: GROUP }, { pino }) as unknown as EventEmitter)
    for (let i = 0; i < 5; i++) gc()
    t.ok(held.deref(), 'held while open, though nothing else refers to it')
    held.deref()!.emit('close')
    await new Promise(resolve => setImmediate(resolve))
    for (let i = 0; i < 5; i++) gc()
    t.equal(held.deref(), undefined, 'collected once closed')
  })
}
