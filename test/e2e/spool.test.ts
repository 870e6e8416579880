import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { range, seqs } from '../helpers/aws.js'
import { until } from '../helpers/transport.js'

const app = fileURLToPath(new URL('../fixtures/spool-app.mjs', import.meta.url))

function start (env: Record<string, string>): { exited: Promise<number | null>, kill: () => void, stderr: () => string } {
  const child = spawn(process.execPath, [app], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env } })
  let stderr = ''
  child.stderr.on('data', d => { stderr += d })
  return {
    exited: new Promise(resolve => child.on('exit', code => resolve(code))),
    kill: () => child.kill('SIGKILL'),
    stderr: () => stderr
  }
}

/** Events held in the spool's batch files (written whole, so a file that exists is complete). */
function spooled (dir: string): number {
  let n = 0
  for (const sub of readdirSync(dir)) {
    if (!existsSync(join(dir, sub)) || sub.includes('.')) continue
    for (const f of readdirSync(join(dir, sub))) {
      if (f.endsWith('.batch')) n += (JSON.parse(readFileSync(join(dir, sub, f), 'utf8')).events as unknown[]).length
    }
  }
  return n
}

t.test('SIGKILL mid-stream: every line written to the spool is delivered by the next start', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const spool = mkdtempSync(join(tmpdir(), 'logbeam-spool-'))
  // Nothing is acknowledged while the first process runs: every put hangs.
  ep.setFaults({ hangRate: 1 })
  const first = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'killed', N: '500' })
  await until(() => spooled(spool) === 500, 'all 500 lines to be in the spool')
  first.kill()
  t.equal(await first.exited, null, 'killed by the signal')
  t.same(ep.events('app/spool', 'killed'), [], 'nothing was delivered before the kill')

  ep.setFaults({})
  const second = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'next-run' })
  t.equal(await second.exited, 0, second.stderr())
  t.same(seqs(ep.events('app/spool', 'killed')), range(500), `delivered once each, in order, to the stream they were meant for; spool: ${readdirSync(spool).join(' ')}; stderr: ${second.stderr()}`)
  t.equal(spooled(spool), 0, 'the spool is empty once CloudWatch has everything')
})

t.test('a corrupt or partial spool file is skipped, counted, and never stops the start', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const spool = mkdtempSync(join(tmpdir(), 'logbeam-spool-'))
  // A folder left by a process that is gone (pid 2^22 + 1 is above Linux's pid limit).
  const dead = join(spool, '4194305-deadbeef')
  mkdirSync(dead)
  writeFileSync(join(dead, '000000000000001-000000000.batch'), '{"v":1,"target":{"logGroupName":"app/spool","logStreamName":"old"},"bytes":40,"events":[{"timestamp":')
  const good = { v: 1, target: { logGroupName: 'app/spool', logStreamName: 'old' }, bytes: 40, events: [{ timestamp: Date.now(), message: '{"seq":0}' }] }
  writeFileSync(join(dead, '000000000000002-000000001.batch'), JSON.stringify(good))
  writeFileSync(join(dead, '000000000000003-000000002.batch.tmp'), '{"v":1')
  const run = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'new' })
  t.equal(await run.exited, 0)
  t.same(seqs(ep.events('app/spool', 'old')), [0], 'the good file was delivered')
  t.match(run.stderr(), /skipped unreadable spool file .*000000000000001-000000000/, 'the bad one is reported')
  const corrupt = readdirSync(spool, { recursive: true }).map(String).filter(f => f.endsWith('.corrupt'))
  t.equal(corrupt.length, 1, 'and kept aside as .corrupt for a person to look at')
})

t.test('two transports in one process share a spool directory: neither takes the other\'s batches', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const spool = mkdtempSync(join(tmpdir(), 'logbeam-spool-'))
  ep.setFaults({ hangRate: 1 })
  const first = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'pair', N: '100', TWO: '1' })
  await until(() => spooled(spool) === 200, 'both transports\' lines to be in the spool')
  const folders = readdirSync(spool)
  t.equal(folders.length, 2, 'a folder each')
  for (const folder of folders) {
    t.equal(statSync(join(spool, folder)).mode & 0o777, 0o700, 'folders are private')
    for (const file of readdirSync(join(spool, folder))) t.equal(statSync(join(spool, folder, file)).mode & 0o777, 0o600, 'files are private')
  }
  first.kill()
  await first.exited
  ep.setFaults({})
  const second = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'next', TWO: '1' })
  t.equal(await second.exited, 0, second.stderr())
  t.same(seqs(ep.events('app/spool', 'pair')), range(100))
  t.same(seqs(ep.events('app/spool', 'pair-2')), range(100))
})

t.test('two processes starting at once on a spool with leftovers: both start, every batch is sent once', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const spool = mkdtempSync(join(tmpdir(), 'logbeam-spool-'))
  for (let p = 0; p < 6; p++) {
    const dead = join(spool, `${4194305 + p}-1-deadbeef`)
    mkdirSync(dead)
    for (let f = 0; f < 20; f++) {
      const batch = { v: 1, target: { logGroupName: 'app/spool', logStreamName: 'left' }, bytes: 40, events: [{ timestamp: Date.now(), message: JSON.stringify({ seq: p * 20 + f }) }] }
      writeFileSync(join(dead, `${String(f + 1).padStart(15, '0')}-000000000.batch`), JSON.stringify(batch))
    }
  }
  const a = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'a' })
  const b = start({ ENDPOINT: ep.url, SPOOL: spool, STREAM: 'b' })
  t.same(await Promise.all([a.exited, b.exited]), [0, 0], `${a.stderr()}${b.stderr()}`)
  t.same(seqs(ep.events('app/spool', 'left')).sort((x, y) => x - y), range(120), 'each leftover once')
})
