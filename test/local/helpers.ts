import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import {
  CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient, type InputLogEvent
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions } from '../../lib/local/index.js'
import { client as sdkClient } from '../helpers/aws.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

/** Shared by the endpoint's tests: setup, calls through the SDK and below it (raw HTTP), the bin as a process. */

export type Teardown = { teardown: (fn: () => unknown) => void }
export type SdkError = Error & { code?: string, $metadata?: { httpStatusCode?: number }, $response?: { statusCode?: number } }

export function clientFor (t: Teardown, endpoint: LocalEndpoint): CloudWatchLogsClient {
  return clientAt(t, endpoint.url)
}

/** An endpoint with group `g` and stream `s`; its faults are set after that setup, and `calls` emptied. */
export async function setup (t: Teardown, options: LocalEndpointOptions = {}): Promise<{ endpoint: LocalEndpoint, client: CloudWatchLogsClient }> {
  const endpoint = await startLocalEndpoint({ ...options, faults: undefined })
  t.teardown(() => endpoint.close())
  const client = clientFor(t, endpoint)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }))
  if (options.faults !== undefined) endpoint.setFaults(options.faults)
  endpoint.calls.length = 0
  return { endpoint, client }
}

export function put (client: CloudWatchLogsClient, options: { abortSignal?: AbortSignal, logEvents?: InputLogEvent[] } = {}): Promise<unknown> {
  const logEvents = options.logEvents ?? [{ timestamp: Date.now(), message: 'hello' }]
  return client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents }), { abortSignal: options.abortSignal })
}

/**
 * The call, given up after `ms` the way CLOUDWATCH.md says to: one AbortController and a timer
 * cleared in `finally` (not AbortSignal.timeout, which can be collected before it fires).
 */
export async function putWithin (client: CloudWatchLogsClient, ms: number): Promise<unknown> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), ms)
  try {
    return await put(client, { abortSignal: controller.signal })
  } finally {
    clearTimeout(timer)
  }
}

export async function errorOf (promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise
  } catch (err) {
    return err as SdkError
  }
  throw new Error('expected the call to fail')
}

export { until } from '../helpers/until.js'

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The body bytes received before the end, or before `bodyWaitMs` passed. */
  body: string
  /** The body ended (all of content-length arrived). */
  complete: boolean
}

/**
 * One PutLogEvents call below the SDK, to see exactly what goes over the wire. Gives up on the body
 * after `bodyWaitMs` (then destroys the socket) so a stalled answer can be looked at too.
 */
export function rawPut (endpoint: LocalEndpoint, body: string, bodyWaitMs = 1000,
  headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint.url}/`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.PutLogEvents', ...headers }
    }, (res) => {
      const chunks: Buffer[] = []
      const settle = (complete: boolean): void => {
        clearTimeout(timer)
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), complete })
        req.destroy()
      }
      const timer = setTimeout(() => settle(false), bodyWaitMs)
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => settle(true))
      res.on('error', () => {})
    })
    req.on('error', reject)
    req.end(body)
  })
}

export function putBody (messages: string[] = ['hello']): string {
  const timestamp = Date.now()
  return JSON.stringify({ logGroupName: 'g', logStreamName: 's', logEvents: messages.map((message) => ({ timestamp, message })) })
}

// The bin is tested as users run it: the compiled file (the build runs before the tests).
const BIN = fileURLToPath(new URL('../../dist/local/main.js', import.meta.url))

export function spawnBin (...args: string[]): ChildProcessWithoutNullStreams {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: compile first (npm run build)`)
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
}

/** Runs the bin to its end: exit code and everything printed. */
export async function runBin (...args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawnBin(...args)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const [code] = await once(child, 'close') as [number | null]
  return { code, stdout, stderr }
}

/** Starts the endpoint as its own process; resolves with its URL once it listens. Killed at teardown. */
export async function serveBin (t: Teardown, ...args: string[]): Promise<{ child: ChildProcessWithoutNullStreams, url: string }> {
  const child = spawnBin(...args)
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  let text = ''
  child.stdout.setEncoding('utf8')
  for await (const chunk of child.stdout) {
    text += chunk as string
    const line = /^logbeam-local listening on (\S+)\n/.exec(text)
    if (line !== null) return { child, url: line[1]! }
  }
  throw new Error(`exited before printing its URL: ${text}`)
}

/** The shared test client (no retries), destroyed when the test ends. */
export function clientAt (t: Teardown, url: string): CloudWatchLogsClient {
  const client = sdkClient(url)
  t.teardown(() => client.destroy())
  return client
}
