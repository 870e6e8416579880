// Does logger.flush(cb) wait for CloudWatch under each pino that peerDependencies admits? It does only
// where pino's thread-stream awaits the transport's async flush (thread-stream >= 4.1: pino >= 10.1.1
// on a fresh install). Each pino is installed from the registry into a temporary folder; without a
// registry the test is skipped, except under CI=true.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { clientConfig, range } from '../helpers/aws.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const entry = join(root, 'dist', 'index.js')
const GROUP = 'app/pino-majors'

interface PinoModule {
  (stream: unknown): { info: (obj: object, msg: string) => void, flush: (cb: (err?: Error) => void) => void }
  transport: (opts: { target: string, options: object }) => NodeJS.EventEmitter & { end: () => void }
}

/** Installs `spec` (e.g. pino@9) into a temporary folder; resolves with its module and versions, or why not. */
async function install (t: Test, spec: string): Promise<{ pino: PinoModule, pinoVersion: string, threadStream: string } | string> {
  const dir = await mkdtemp(join(tmpdir(), 'logbeam-pino-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const env = { ...process.env }
  for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name] // this test's npm would point back here
  const result = await new Promise<{ ok: boolean, stderr: string }>(resolve => {
    execFile('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec],
      { env, timeout: 120_000 }, (err, _stdout, stderr) => resolve({ ok: err === null, stderr }))
  })
  if (!result.ok) return `npm install ${spec} failed (offline?): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`
  const req = createRequire(join(dir, 'node_modules', 'pino', 'package.json'))
  const version = (name: string): string => (req(`${name}/package.json`) as { version: string }).version
  return { pino: req('pino') as PinoModule, pinoVersion: version('pino'), threadStream: version('thread-stream') }
}

/** Lines the endpoint held when flush called back, out of 100 logged (each call takes 300 ms there). */
async function storedAtFlush (t: Test, pino: PinoModule, stream: string): Promise<number> {
  const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 300 } })
  t.teardown(() => ep.close())
  const transport = pino.transport({
    target: entry,
    options: { logGroupName: GROUP, logStreamName: stream, bufferDuration: 60_000, idleFlush: 0, stderr: false, clientConfig: clientConfig(ep.url) }
  })
  const logger = pino(transport)
  for (const seq of range(100)) logger.info({ seq }, 'line')
  await new Promise<void>((resolve, reject) => logger.flush(err => (err ? reject(err) : resolve())))
  const stored = ep.streams(GROUP).includes(stream) ? ep.events(GROUP, stream).length : 0
  const closed = new Promise(resolve => transport.once('close', resolve))
  transport.end()
  await closed
  return stored
}

const peer = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { peerDependencies: { pino: string } }).peerDependencies.pino
const floor = /^>=\s*(\d+\.\d+\.\d+)/.exec(peer)?.[1]

function unavailable (t: Test, why: string): void {
  if (process.env.CI === 'true') t.fail(`${why}: the pino majors cannot be skipped under CI`)
  else t.comment(`skipped: ${why}`)
}

if (!existsSync(entry)) {
  t.fail('dist/ is not built: run `npx tsc -p tsconfig.build.json` first')
} else {
  t.test('pino 9: flush does not wait for delivery, so peerDependencies does not admit it', async t => {
    const got = await install(t, 'pino@9')
    if (typeof got === 'string') return unavailable(t, got)
    const stored = await storedAtFlush(t, got.pino, 'pino-9')
    t.comment(`pino ${got.pinoVersion}, thread-stream ${got.threadStream}: ${stored} of 100 lines stored when flush called back`)
    t.ok(stored === 100 || floor === undefined || Number(floor.split('.')[0]) >= 10,
      `peerDependencies (${peer}) admits pino 9 only if its flush waits`)
  })

  t.test(`the lowest pino peerDependencies admits (${floor}): flush waits for every line`, async t => {
    if (floor === undefined) return t.fail(`peerDependencies.pino (${peer}) has no >= floor`)
    const got = await install(t, `pino@${floor}`)
    if (typeof got === 'string') return unavailable(t, got)
    t.equal(await storedAtFlush(t, got.pino, 'pino-floor'), 100, `pino ${got.pinoVersion} with thread-stream ${got.threadStream}`)
  })
}
