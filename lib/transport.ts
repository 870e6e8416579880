import { isMainThread, parentPort } from 'node:worker_threads'
import { Writable } from 'node:stream'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { checkRegion, createClient } from './cloudwatch/client.js'
import type { TransportOptions } from './app-transport.js'
import {
  createReporter, EVENTS, type EventInfo, type EventName, type EventPayloads, type Reporter
} from './diagnostics.js'
import { LogbeamOptionError } from './option-error.js'
import { resolveOptions } from './options.js'
import { LineSplitter } from './pipeline/line-splitter.js'
import { Pipeline, type CloseResult } from './pipeline/pipeline.js'
import { Uploader } from './cloudwatch/uploader.js'
import { Spool } from './pipeline/spool.js'
import { onPinoConfig, pinoLevelsOption, pinoWillSendConfig } from './pino-config.js'
import { levelLabels } from './pipeline/level-labels.js'
import { lowerThreadPriority } from './worker-priority.js'
import { access } from 'node:fs/promises'

/**
 * Lowers the worker thread's priority. libuv's thread pool (fs, DNS, crypto, zlib, shared by the whole process)
 * takes the niceness of the thread that starts it: one pool call first starts it here at the normal priority, so
 * the app's own file and DNS work is never slowed down.
 */
async function lowerWorker (nice: number, report: Reporter): Promise<void> {
  await access(process.cwd()).catch(() => {})
  const result = lowerThreadPriority(nice)
  if (!result.ok) {
    report(EVENTS.workerNice, {
      message: `the worker thread's priority was left as it was (workerNice ${nice}): ${result.message}`,
      nice,
      reason: result.reason
    })
  }
}

/** True when a name template has `{level}`. */
function usesLevel (opts: ReturnType<typeof resolveOptions>): boolean {
  return [...opts.names.group.parts, ...opts.names.stream.parts].some(p => typeof p !== 'string' && p.kind === 'level')
}

/** What can be handed to the transport when it runs in-process (not in a worker). */
export interface Dependencies {
  /** A ready client, used as is (and not destroyed at close). Tests and in-process use pass one here. */
  client?: CloudWatchLogsClient
}

/** logbeam's events, typed by name; listed before Writable's own `on` so that they are the overloads chosen. */
interface LogbeamEvents {
  on: <N extends EventName>(event: N, listener: (info: EventPayloads[N]) => void) => this
  once: <N extends EventName>(event: N, listener: (info: EventPayloads[N]) => void) => this
  off: <N extends EventName>(event: N, listener: (info: EventPayloads[N]) => void) => this
}

/** The stream pino writes to, with a `flush` that resolves once CloudWatch holds every line written before it. */
export type LogbeamStream = LogbeamEvents & Writable & {
  flush: (cb?: (err?: Error | null) => void) => Promise<void>
  /** Resolves with the final counts once the stream has closed. */
  closeResult: Promise<CloseResult>
}

/** The longest final upload that fits in pino's exit window (it waits about 10 s for the worker). */
const WORKER_CLOSE_TIMEOUT = 9000

/**
 * How long a worker routing by `{level}` waits at start for pino to say what its levels are, when its options do
 * not. pino posts them as it creates the logger, before any line: the wait ends at once in practice, and the cap
 * only guards against a message that never comes (or that another target's listener took before logbeam loaded).
 */
const PINO_CONFIG_WAIT_MS = 2000

/**
 * The transport pino loads in its worker thread: `pino({ transport: { target: 'logbeam', options } })`.
 * Also usable in-process, with a client of your own as the second argument.
 */
export default async function logbeam (options: TransportOptions, deps: Dependencies = {}): Promise<LogbeamStream> {
  // The keys pino adds (levels, dedupe, pinoWillSendConfig, $context) are passed over by resolveOptions.
  const opts = resolveOptions(options)
  if (opts.overflow === 'block') {
    throw new LogbeamOptionError('overflow',
      "'block' is for the CLI only; a transport must keep reading so pino never piles up logs")
  }
  const worker = !isMainThread && parentPort !== null
  if (worker && opts.closeTimeout > WORKER_CLOSE_TIMEOUT) {
    // pino gives its worker about 10 s at exit, then terminates it: a longer final upload would be cut off unseen.
    throw new LogbeamOptionError('closeTimeout', `at most ${WORKER_CLOSE_TIMEOUT} ms in a worker transport ` +
      `(pino ends the worker about 10 s after exit starts), got ${opts.closeTimeout}`)
  }
  // pino names its custom levels in the worker's options as it starts it (with `targets`, in those of its own entry),
  // and in a message to the worker once the logger exists (the only place when the transport was made before the
  // logger). Lines are read once the transport is built: waiting here for the message when the options say nothing
  // means even the first line is named by pino's labels. Each later logger's message adds its levels.
  const given = options as unknown as Record<string, unknown>
  const live: { pipeline?: Pipeline } = {}
  if (worker && usesLevel(opts)) {
    const inOptions = pinoLevelsOption(given)
    if (inOptions !== undefined) opts.levelLabels = levelLabels(given.customLevels, levelLabels(inOptions))
    if (pinoWillSendConfig(given)) {
      const first = onPinoConfig(PINO_CONFIG_WAIT_MS, config => {
        opts.levelLabels = levelLabels(config.levels, opts.levelLabels)
        live.pipeline?.setLevelLabels(opts.levelLabels)
      })
      if (inOptions === undefined) await first
    }
  }
  const client = deps.client ?? createClient(opts.clientConfig)
  if (!deps.client) await checkRegion(client)

  // The stream is built after the pipeline that needs the reporter: in-process events find it here.
  const local: { stream?: LogbeamStream } = {}
  const report = createReporter({
    stderr: opts.stderr,
    // In a worker, events reach `transport.on(name, ...)` in the main thread; in-process, the stream emits them.
    emit: (name: EventName, info: EventInfo) => {
      if (worker) parentPort!.postMessage({ code: 'EVENT', name, args: [info] })
      else local.stream?.emit(name, info)
    }
  })
  if (worker && opts.workerNice > 0) await lowerWorker(opts.workerNice, report)
  const spool = opts.spoolDir ? new Spool(opts.spoolDir, opts.maxSpoolSize, report) : undefined
  const pipeline = new Pipeline(opts, new Uploader(client, opts, report), report, spool)
  live.pipeline = pipeline

  // thread-stream hands over text it has already decoded: lines are cut from it directly, and
  // each chunk is read once (no re-encoding, no stream object per line).
  let receivedAt = 0
  const splitter = new LineSplitter(line => pipeline.write(line, receivedAt))
  let closed!: (result: CloseResult) => void
  const closedPromise = new Promise<CloseResult>(resolve => { closed = resolve })
  const stream = new Writable({
    decodeStrings: false,
    // A chunk is consumed before write() returns; the mark (two of thread-stream's 4 MiB chunks) only counts while
    // the pipeline makes the input wait, and then bounds what piles up here before thread-stream stops reading.
    highWaterMark: 8 * 1024 * 1024,
    write (chunk: string | Buffer, _encoding, callback) {
      receivedAt = Date.now()
      if (typeof chunk === 'string') splitter.write(chunk)
      else splitter.writeBytes(chunk)
      // Calls succeed but the endpoint is slower than the input: wait for room instead of dropping what would be
      // delivered. The burst then waits in pino's own buffer, in the app's thread, without blocking it.
      if (pipeline.mustWait) pipeline.onDrain(() => callback())
      else callback()
    },
    final (callback) {
      receivedAt = Date.now()
      splitter.end()
      pipeline.close().then(result => {
        if (!deps.client) client.destroy()
        // What the rate limit held back is said now, before the worker ends.
        report.flush()
        closed(result)
        callback()
      }, callback)
    }
  }) as LogbeamStream

  local.stream = stream
  // In-process, pino calls flush(cb); thread-stream's worker awaits the promise. Serve both.
  stream.flush = (cb?: (err?: Error | null) => void): Promise<void> => {
    // Chunks may wait in the stream's own buffer while the input waits for room (see mustWait): an empty write
    // calls back once every chunk before it has reached the pipeline, and only then is the flush taken.
    const read = stream.writableEnded || stream.writableLength === 0
      ? Promise.resolve()
      : new Promise<void>(resolve => stream.write('', () => resolve()))
    const done = read.then(() => pipeline.flush())
    if (cb) done.then(() => cb(), cb)
    return done
  }
  stream.closeResult = closedPromise
  return stream
}
