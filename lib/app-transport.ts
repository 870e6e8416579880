import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { checkClientConfig, type ClientConfig } from './cloudwatch/client-config.js'
import type { EventName, EventPayloads } from './diagnostics.js'
import { resolveOptions, type Options, type RETENTION_DAYS } from './options.js'

/**
 * The transport's options where the app writes them: a misspelled option, a retention the service
 * would refuse, or `overflow: 'block'` (the CLI's alone: a blocked worker piles logs up in the app)
 * is a compile error here (pino's own `options` are `Record<string, any>`).
 */
export type TransportOptions = Omit<Options, 'retentionInDays' | 'clientConfig' | 'overflow'> & {
  retentionInDays?: typeof RETENTION_DAYS[number]
  clientConfig?: ClientConfig
  overflow?: Exclude<Options['overflow'], 'block'>
}

/** Listener arguments by event name: logbeam's named events, then the stream's own. */
export type TransportEvents = { [N in EventName]: [info: EventPayloads[N]] } & {
  ready: []
  close: []
  error: [err: Error]
}

type Listener<E extends keyof TransportEvents> = (...args: TransportEvents[E]) => void

/** pino's ThreadStream as the app sees it: what pino() needs, typed events, flush and end. */
export interface LogbeamTransport {
  write (chunk: string): boolean
  /** Calls back once CloudWatch holds every line written before it (pino >= 10.1.1, thread-stream >= 4.1). */
  flush (cb?: (err?: Error | null) => void): void
  /** Sends what is left and closes; 'close' follows once the worker is done. */
  end (): void
  ref (): void
  unref (): void
  readonly closed: boolean
  on<E extends keyof TransportEvents>(event: E, listener: Listener<E>): this
  once<E extends keyof TransportEvents>(event: E, listener: Listener<E>): this
  off<E extends keyof TransportEvents>(event: E, listener: Listener<E>): this
}

/** The part of pino this needs: its `transport` function. */
export interface PinoLike {
  transport: (options: { target: string, options: unknown }) => unknown
}

// thread-stream registers each stream with a FinalizationRegistry that calls worker.terminate() once
// the stream is collected: no close, no final upload, and a pending flush never calls back. An app
// holding only its logger (a logger made in a function, or left alone after start) can lose every
// line that way (0 of 100 on Node 22-26 with one forced GC during a flush; on Node 26 without
// forcing). Each stream is held here from creation until its 'close'.
const open = new Set<object>()

const req = createRequire(import.meta.url)

function loadPino (): PinoLike {
  try {
    return req('pino') as PinoLike
  } catch (err) {
    throw new Error('logbeam: transport() needs pino (npm install pino), or pass it: transport(options, { pino })',
      { cause: err })
  }
}

/** Where the worker loads logbeam from: this package's entry, or the bundler's copy of it. */
function target (): string {
  const overrides = (globalThis as { __bundlerPathsOverrides?: Record<string, string> }).__bundlerPathsOverrides
  return overrides?.logbeam ?? fileURLToPath(new URL('./index.js', import.meta.url))
}

/**
 * Starts logbeam in pino's worker thread: `pino(transport({ logGroupName: '/my/app' }))`. The options
 * are checked here, so a bad one throws in the app at once; the stream is held until it has closed, so
 * neither a logger that went out of scope nor a pending flush can have its worker terminated by GC.
 * pino is loaded from the app's installation; in a bundle, pass it: `transport(options, { pino })`.
 */
export function transport (options: TransportOptions, deps: { pino?: PinoLike } = {}): LogbeamTransport {
  resolveOptions(options)
  checkClientConfig(options.clientConfig)
  const pino = deps.pino ?? loadPino()
  const stream = pino.transport({ target: target(), options }) as LogbeamTransport
  open.add(stream)
  stream.once('close', () => open.delete(stream))
  return stream
}
