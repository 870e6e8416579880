// The SDK v3 ignores HTTPS_PROXY and friends; logbeam builds a proxying request handler in the worker
// from the environment or clientConfig.proxy. Each case goes through a real forward proxy on loopback
// (test/helpers/proxy.ts): absolute-form requests for an http endpoint, a CONNECT tunnel for https.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { once } from 'node:events'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { clientConfig, range, seqs } from '../helpers/aws.js'
import { startProxy } from '../helpers/proxy.js'
import { startTransport } from '../helpers/transport.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const GROUP = 'app/proxy'
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'all_proxy']

// pino's worker gets a copy of process.env when it starts: the variables are set around that alone.
function withEnv<T> (vars: Record<string, string>, start: () => T): T {
  const saved = Object.fromEntries(PROXY_VARIABLES.map(name => [name, process.env[name]]))
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, vars)
  try {
    return start()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** Three flushed rounds of ten lines through a worker transport started with `env`. */
async function deliver (t: Test, stream: string, env: Record<string, string>, proxy?: string) {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const options = { logGroupName: GROUP, logStreamName: stream, clientConfig: { ...clientConfig(ep.url), proxy } }
  const run = withEnv(env, () => startTransport(ep.url, options))
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 10; i++) run.logger.info({ seq: round * 10 + i }, 'x')
    await run.flush()
  }
  await run.end()
  t.same(seqs(ep.events(GROUP, stream)), range(30), 'every line stored, in order')
  return ep
}

t.test('HTTP_PROXY: an http endpoint is reached by absolute-form requests, on a kept-alive connection', async t => {
  const proxy = await startProxy()
  t.teardown(() => proxy.close())
  const ep = await deliver(t, 'http-proxy', { HTTP_PROXY: proxy.url })
  const puts = proxy.requests.filter(r => r === `POST ${ep.url}/`)
  t.ok(puts.length >= 5, `every call went through the proxy (${proxy.requests.length} requests)`)
  t.equal(proxy.connections, 1, 'over one connection to the proxy (the SDK\'s keep-alive is kept)')
})

t.test('lower-case http_proxy works the same', async t => {
  const proxy = await startProxy()
  t.teardown(() => proxy.close())
  await deliver(t, 'lower-case', { http_proxy: proxy.url })
  t.ok(proxy.requests.length >= 5, 'through the proxy')
})

t.test('NO_PROXY exempts the endpoint\'s host: nothing goes through the proxy', async t => {
  const proxy = await startProxy()
  t.teardown(() => proxy.close())
  await deliver(t, 'no-proxy', { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' })
  t.same(proxy.requests, [], 'the proxy saw no request')
})

t.test('clientConfig.proxy, with no proxy in the environment', async t => {
  const proxy = await startProxy()
  t.teardown(() => proxy.close())
  const ep = await deliver(t, 'option', {}, proxy.url)
  t.ok(proxy.requests.filter(r => r === `POST ${ep.url}/`).length >= 5, 'every call went through the proxy')
})

/** A self-signed certificate for localhost, made with openssl (undefined when it is not installed). */
async function selfSigned (dir: string): Promise<{ key: string, cert: string, certFile: string } | undefined> {
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'])
  if (made.status !== 0) return undefined
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8'), certFile }
}

t.test('HTTPS_PROXY: an https endpoint is reached through one CONNECT tunnel, kept alive', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'logbeam-proxy-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const tlsFiles = await selfSigned(dir)
  if (tlsFiles === undefined) {
    if (process.env.CI === 'true') throw new Error('openssl is needed for the https proxy test under CI')
    t.comment('skipped: openssl is not installed, so there is no certificate for an https endpoint')
    return
  }
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  // TLS in front of the local endpoint, for a certificate the child trusts through NODE_EXTRA_CA_CERTS.
  const front = tls.createServer({ key: tlsFiles.key, cert: tlsFiles.cert }, socket => {
    const upstream = net.connect(Number(new URL(ep.url).port), '127.0.0.1')
    socket.pipe(upstream).pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
  })
  front.listen(0, '127.0.0.1')
  await once(front, 'listening')
  t.teardown(() => new Promise<void>(resolve => front.close(() => resolve())))
  const endpoint = `https://localhost:${(front.address() as net.AddressInfo).port}`
  const proxy = await startProxy()
  t.teardown(() => proxy.close())

  const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tlsFiles.certFile }
  for (const name of ['NODE_OPTIONS', 'NO_PROXY', 'no_proxy', 'HTTP_PROXY', 'http_proxy', 'https_proxy']) delete env[name]
  env.LOGBEAM_TEST_OPTIONS = JSON.stringify({
    logGroupName: GROUP, logStreamName: 'https', stderr: false, clientConfig: { ...clientConfig(endpoint) }
  })
  const child = spawn(process.execPath, [join(root, 'test', 'fixtures', 'proxy-app.mjs')], { cwd: root, env, stdio: ['ignore', 'inherit', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const [code] = await once(child, 'close') as [number | null]
  clearTimeout(timer)
  t.equal(code, 0, 'the app exits 0', { stderr })
  t.same(seqs(ep.events(GROUP, 'https')), range(30), 'every line stored, in order')
  const target = `CONNECT localhost:${new URL(endpoint).port}`
  t.same(proxy.requests, [target], 'one tunnel for every call (keep-alive)')
})
