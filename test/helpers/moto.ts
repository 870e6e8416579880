import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

export interface Moto { url: string, stop: () => Promise<void> }

/** A free loopback port (taken by listening on port 0, then released). */
export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Whether moto_server is installed; under CI its absence is a failure, not a skip. */
export function motoAvailable (): { ok: true } | { ok: false, why: string } {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' })
  if (found.status === 0) return { ok: true }
  const why = 'moto_server is not installed (pip install "moto[server]")'
  if (process.env.CI === 'true') throw new Error(`${why}: the moto tests cannot be skipped under CI`)
  return { ok: false, why }
}

/** Starts moto on a free port and waits until it answers; `env` adds moto settings (INITIAL_NO_AUTH_ACTION_COUNT). */
export async function startMoto (env: Record<string, string> = {}): Promise<Moto> {
  const port = await freePort()
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)],
    { stdio: 'ignore', env: { ...process.env, ...env } })
  const url = `http://127.0.0.1:${port}`
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  for (let i = 0; ; i++) {
    try {
      await fetch(`${url}/moto-api/`)
      break
    } catch {
      if (child.exitCode !== null || i > 300) throw new Error(`moto_server did not start on port ${port}`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    }
  }
}
