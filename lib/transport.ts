import { isMainThread, parentPort } from 'node:worker_threads'
import { setImmediate as tick } from 'node:timers/promises'
import type { Transform } from 'node:stream'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import build from 'pino-abstract-transport'
import { checkRegion, createClient } from './client.js'
import { createReporter, type EventInfo, type EventName } from './diagnostics.js'
import { resolveOptions, type Options } from './options.js'
import { Pipeline, type CloseResult } from './pipeline.js'
import { Spool } from './spool.js'

/** What can be handed to the transport when it runs in-process (not in a worker). */
export interface Dependencies {
  /** A ready client, used as is (and not destroyed at close). Tests and in-process use pass one here. */
  client?: CloudWatchLogsClient
}

/** The stream pino writes to, with a `flush` that resolves once CloudWatch holds every line written before it. */
export type LogbeamStream = Transform & {
  flush: (cb?: (err?: Error | null) => void) => Promise<void>
  /** Resolves with the final counts once the stream has closed. */
  closeResult: Promise<CloseResult>
}

// The line is handed on untouched: skipping pino-abstract-transport's JSON.parse keeps the hot
// path cheap and lets non-JSON lines through (they are shipped as they are).
const KEEP_LINE = {}
const keepLine = (): object => KEEP_LINE

/** pino adds `pinoWillSendConfig` and `$context` to a transport's options: they are not ours to check. */
function withoutPinoKeys (options: Options): Options {
  if (options === null || typeof options !== 'object') return options
  const own: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'pinoWillSendConfig' && !key.startsWith('$')) own[key] = value
  }
  return own as unknown as Options
}

/**
 * The transport pino loads in its worker thread: `pino({ transport: { target: 'logbeam', options } })`.
 * Also usable in-process, with a client of your own as the second argument.
 */
export default async function logbeam (options: Options, deps: Dependencies = {}): Promise<LogbeamStream> {
  const opts = resolveOptions(withoutPinoKeys(options))
  if (opts.overflow === 'block') {
    throw new Error("logbeam: invalid option overflow: 'block' is for the CLI only; a transport must keep reading so pino never piles up logs")
  }
  const client = deps.client ?? createClient(opts.clientConfig)
  if (!deps.client) await checkRegion(client)

  // The stream is built after the pipeline that needs the reporter: in-process events find it here.
  const local: { stream?: LogbeamStream } = {}
  const worker = !isMainThread && parentPort !== null
  const report = createReporter({
    stderr: opts.stderr,
    // In a worker, events reach `transport.on(name, ...)` in the main thread; in-process, the stream emits them.
    emit: (name: EventName, info: EventInfo) => {
      if (worker) parentPort!.postMessage({ code: 'EVENT', name, args: [info] })
      else local.stream?.emit(name, info)
    }
  })
  const spool = opts.spoolDir ? new Spool(opts.spoolDir, opts.maxSpoolSize, report) : undefined
  const pipeline = new Pipeline(opts, client, report, spool)

  let closed!: (result: CloseResult) => void
  const closedPromise = new Promise<CloseResult>(resolve => { closed = resolve })
  const stream = build(source => {
    source.on('data', (line: string) => pipeline.write(line))
  }, {
    parse: 'lines',
    parseLine: keepLine,
    metadata: false,
    close: async () => {
      const result = await pipeline.close()
      if (!deps.client) client.destroy()
      closed(result)
    }
  }) as unknown as LogbeamStream

  local.stream = stream
  const flush = async (): Promise<void> => {
    // Lines pino handed over may still sit in the line splitter's buffers: let them through first.
    while (stream.readableLength > 0 || stream.writableLength > 0) await tick()
    await pipeline.flush()
  }
  // In-process, pino calls flush(cb); thread-stream's worker awaits the promise. Serve both.
  stream.flush = (cb?: (err?: Error | null) => void): Promise<void> => {
    const done = flush()
    if (cb) done.then(() => cb(), cb)
    return done
  }
  stream.closeResult = closedPromise
  return stream
}
