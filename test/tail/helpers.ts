import t from 'tap'
import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { run } from '../../lib/cli/run.js'
import { client } from '../helpers/aws.js'
import { until } from '../helpers/until.js'

/** Shared by the tail tests: the shipping CLI and `pino-cloudwatch tail`, both run in this process through run(). */

export { client, until }

/**
 * A test file's server (the local endpoint, moto) and a client of it: started before its tests, closed after them.
 * `setup` runs once both are there (to ship what every test reads).
 */
export function readingFrom<S extends { url: string }> (start: () => Promise<S>, stop: (server: S) => Promise<void>,
  setup?: (cw: CloudWatchLogsClient) => Promise<void>): { readonly server: S, readonly cw: CloudWatchLogsClient } {
  const ready = {} as { server: S, cw: CloudWatchLogsClient }
  t.before(async () => {
    ready.server = await start()
    ready.cw = client(ready.server.url)
    await setup?.(ready.cw)
  })
  t.teardown(async () => {
    ready.cw?.destroy()
    if (ready.server !== undefined) await stop(ready.server)
  })
  return ready
}

export interface Tail {
  /** Resolves with the exit status. */
  done: Promise<number>
  /** Everything printed so far, as bytes: raw output is compared byte for byte. */
  stdout: () => Buffer
  stderr: () => string
  /** Each chunk written to stdout, with the time it came. */
  chunks: Array<{ at: number, text: string }>
  /** Stands for the process: `signals.emit('SIGINT', 'SIGINT')`. */
  signals: EventEmitter
}

/** `pino-cloudwatch tail ARGS` against `endpoint` (given as --endpoint too, as a user would), in this process. */
export function tail (endpoint: string, args: string[], cw: CloudWatchLogsClient, env: NodeJS.ProcessEnv = {}): Tail {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const chunks: Tail['chunks'] = []
  let err = ''
  stdout.on('data', (chunk: Buffer) => {
    out.push(chunk)
    chunks.push({ at: Date.now(), text: chunk.toString('utf8') })
  })
  stderr.on('data', (chunk: Buffer) => { err += chunk.toString('utf8') })
  const signals = new EventEmitter()
  const done = run(['tail', '--endpoint', endpoint, ...args], {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    signals,
    client: cw,
    exit: code => { throw new Error(`exit(${code}) called`) }
  })
  return { done, stdout: () => Buffer.concat(out), stderr: () => err, chunks, signals }
}

/** Ships `text` (the bytes a program wrote to stdout) with the pino-cloudwatch CLI; resolves once all is delivered. */
export async function ship (cw: CloudWatchLogsClient, group: string, stream: string, text: string | Buffer,
  extra: string[] = []): Promise<void> {
  const stdin = new PassThrough()
  const stderr = new PassThrough()
  let err = ''
  stderr.on('data', (chunk: Buffer) => { err += chunk.toString('utf8') })
  const done = run(['--log-group-name', group, '--log-stream-name', stream, '--max-puts-per-second', '0', ...extra], {
    stdin,
    stdout: new PassThrough(),
    stderr,
    env: {},
    signals: new EventEmitter(),
    client: cw,
    exit: code => { throw new Error(`exit(${code}) called`) }
  })
  stdin.end(text)
  const code = await done
  if (code !== 0) throw new Error(`shipping exited ${code}: ${err}`)
}

/** A shipper kept open: lines written now are delivered within --idle-flush. */
export function shipper (cw: CloudWatchLogsClient, group: string, stream: string): { write: (text: string) => void, end: () => Promise<number> } {
  const stdin = new PassThrough()
  const done = run(['--log-group-name', group, '--log-stream-name', stream, '--max-puts-per-second', '0', '--idle-flush', '100'], {
    stdin,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env: {},
    signals: new EventEmitter(),
    client: cw,
    exit: code => { throw new Error(`exit(${code}) called`) }
  })
  return { write: text => { stdin.write(text) }, end: async () => { stdin.end(); return await done } }
}

/** pino lines, one second apart ending a minute ago, with text that is not ASCII. */
export function pinoLines (count: number, base = Date.now() - 60_000 - count * 1000): string[] {
  const words = ['héllo', 'wörld ✓', '日本語のテキスト', 'emoji 🎉🚀', 'Ελληνικά', 'tab\there', 'quote " and \\ backslash']
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ level: 30, time: base + i * 1000, pid: 1, hostname: 'h', seq: i, msg: words[i % words.length] }))
}
