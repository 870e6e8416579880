// The benchmark's child processes: a case (bench/case.js) in a process of its own, and for logbeam's cases a fresh
// local endpoint (bench/endpoint.js) in another. Used by run.js and priority.js.
//
// A placement `{ app: '0', endpoint: '1' }` pins each process to those CPUs (taskset -c; Linux): the case's
// process, every thread of it included, on one core, the endpoint on the other, as an app in a 1-vCPU container
// talking to a remote service. Without one, both share every core of the machine.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const ROOT = join(HERE, '..')
const CASE = join(HERE, 'case.js')
// The byte-scan sink unless BENCH_ENDPOINT=strict asks for the strict local endpoint (to compare, or to profile it).
const ENDPOINT = join(HERE, process.env.BENCH_ENDPOINT === 'strict' ? 'endpoint.js' : 'sink.js')
const CASE_TIMEOUT_MS = 180_000

/** The case fields case.js reads (the rest of a case, labels and grouping, stays in the parent). */
const CASE_FIELDS = ['id', 'kind', 'lineBytes', 'count', 'mode', 'rate', 'maxPutsPerSecond', 'heapProbe',
  'logbeamOptions', 'workerNice', 'workSlices', 'workIterations', 'parseJson']

/** The children get test credentials and none of the caller's AWS endpoint or Node settings. */
function childEnv () {
  const env = { ...process.env }
  const unset = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
    'NODE_OPTIONS']
  for (const name of unset) delete env[name]
  return {
    ...env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1'
  }
}

function profileArgs (dir) {
  if (!dir) return []
  mkdirSync(dir, { recursive: true })
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`]
}

/** spawn() of node with `args`, through `taskset -c cpus` when `cpus` is given (it execs node, same pid). */
function spawnNode (args, cpus, options) {
  return cpus
    ? spawn('taskset', ['-c', cpus, process.execPath, ...args], options)
    : spawn(process.execPath, args, options)
}

/** Starts bench/endpoint.js and resolves with its process and its `{ url, control }` line. */
function startEndpoint (profileDir, cpus) {
  const child = spawnNode([...profileArgs(profileDir), ENDPOINT], cpus, {
    cwd: ROOT, env: childEnv(), stdio: ['pipe', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the endpoint did not start within 15 s')), 15_000)
    const lines = createInterface({ input: child.stdout })
    lines.once('line', line => {
      clearTimeout(timer)
      lines.close()
      child.stdout.resume()
      try {
        resolve({ child, info: JSON.parse(line) })
      } catch (err) {
        reject(err)
      }
    })
    child.once('error', err => {
      clearTimeout(timer)
      reject(err)
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`the endpoint exited (${code}) before it was ready`))
    })
  })
}

function stopEndpoint (endpoint) {
  if (!endpoint || endpoint.child.exitCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    const kill = setTimeout(() => endpoint.child.kill('SIGKILL'), 10_000)
    endpoint.child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    endpoint.child.stdin.end()
    endpoint.child.kill('SIGTERM')
  })
}

/**
 * Runs one case in a child process; resolves with its JSON result. `profileDir`: run both processes under
 * node --cpu-prof, profiles there. `placement`: { app, endpoint }, the CPUs each process is pinned to.
 */
export async function runCase (c, profileDir, placement) {
  const endpoint = c.kind === 'logbeam'
    ? await startEndpoint(profileDir && join(profileDir, 'endpoint'), placement?.endpoint)
    : undefined
  try {
    const config = Object.fromEntries(CASE_FIELDS.map(k => [k, c[k]]))
    config.endpoint = endpoint?.info
    const args = ['--expose-gc', ...profileArgs(profileDir && join(profileDir, 'app')), CASE, JSON.stringify(config)]
    const child = spawnNode(args, placement?.app, { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', d => { out += d })
    child.stderr.on('data', d => { err += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS)
    const code = await new Promise(resolve => {
      child.once('error', e => resolve(e.code))
      child.once('exit', (code, signal) => resolve(code ?? signal))
    })
    clearTimeout(timer)
    const line = out.trim().split('\n').pop()
    if (code !== 0 || !line) throw new Error(`case ${c.id} failed (exit ${code}):\n${err.trim()}`)
    if (err.trim()) process.stderr.write(`  (${c.id} stderr) ${err.trim()}\n`)
    return JSON.parse(line)
  } finally {
    await stopEndpoint(endpoint)
  }
}
