import { fstatSync } from 'node:fs'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'

/**
 * Bytes read ahead of the pipeline at most: the SDK loads in the meantime (about 300 ms, more on a loaded machine,
 * during which the main thread runs nothing else), so this is what a producer may write before it is read. 16 MiB is
 * some 200,000 pino lines.
 */
export const MAX_READ_AHEAD = 16 * 1024 * 1024

/** Messages from the thread: a chunk, the end of the input, or why it cannot be read. */
type FromThread = Uint8Array | { end: true } | { error: string }
/** Messages to the thread: bytes the main thread took off its hands, a new read-ahead bound, or stop. */
type ToThread = { taken: number } | { readAhead: number } | { stop: true }

/**
 * stdin read by a thread of its own when it is a pipe or a socket. Loading the AWS SDK blocks the main thread; a pipe
 * nobody reads fills at 64 KiB, and a producer that exits then (pino flushing its asynchronous stdout at
 * process.exit()) loses the writes it had under way. Measured with a pino app logging 20,000 lines in a burst and
 * exiting: 49-192 lines lost in 7 runs of 10 with the main thread reading stdin after the SDK, 1 run of 10 with this
 * thread (on a machine at load 10, where the thread itself started late). pino alone still tears or reorders a line
 * now and then, whoever reads (its exit flush races its own write in flight). test/cli/edges.test.ts holds the CLI's
 * main thread for 2 s: all lines arrive, against 64 KiB of them before. The thread reads ahead at most `readAhead`
 * bytes the main thread has not taken yet, then stops, so the producer waits on the full pipe as it would for any slow
 * reader. Returns undefined when stdin is something else (a terminal, a file): nothing is lost by reading those late.
 */
export function threadedStdin (readAhead = MAX_READ_AHEAD): ThreadedStdin | undefined {
  try {
    const stat = fstatSync(0)
    if (!stat.isFIFO() && !stat.isSocket()) return undefined
    return new ThreadedStdin(readAhead)
  } catch {
    // No fd 0 at all, or no thread to be had: process.stdin reports whatever is wrong.
    return undefined
  }
}

export class ThreadedStdin extends Readable {
  readonly #worker: Worker
  /** Bytes pushed while this stream's buffer was full: handed back to the thread once it is read. */
  #owed = 0
  /** The thread said all it had to say (the end, or an error). */
  #over = false

  constructor (readAhead: number) {
    super({ highWaterMark: 64 * 1024 })
    // No execArgv: preloads and loaders given to the CLI have no business in this thread, and would slow its start.
    this.#worker = new Worker(`(${serve.toString()})()`, { eval: true, execArgv: [], workerData: { readAhead } })
    this.#worker.on('message', (message: FromThread) => {
      if (message instanceof Uint8Array) {
        if (this.push(Buffer.from(message.buffer, message.byteOffset, message.byteLength))) {
          this.#send({ taken: message.byteLength })
        } else {
          this.#owed += message.byteLength
        }
      } else {
        this.#over = true
        if ('end' in message) this.push(null)
        else this.destroy(new Error(message.error))
      }
    })
    this.#worker.on('error', err => { this.#over = true; this.destroy(err) })
    this.#worker.on('exit', () => { if (!this.#over) this.destroy(new Error('the thread reading stdin stopped')) })
  }

  /** Lowers (or raises) how many bytes the thread may read ahead, once the flags say how much memory is allowed. */
  readAhead (bytes: number): void {
    this.#send({ readAhead: bytes })
  }

  override _read (): void {
    if (this.#owed === 0) return
    this.#send({ taken: this.#owed })
    this.#owed = 0
  }

  override _destroy (err: Error | null, callback: (err?: Error | null) => void): void {
    this.#send({ stop: true })
    // It ends on its own once told; it must not hold the exit meanwhile.
    this.#worker.unref()
    callback(err)
  }

  #send (message: ToThread): void {
    try { this.#worker.postMessage(message) } catch { /* the thread is gone: nothing to tell */ }
  }
}

/**
 * The thread's side: reads fd 0 on its own event loop and posts what it reads, pausing while `readAhead` bytes are
 * posted and not yet taken. Run from its source text as CommonJS (`eval`), hence self-contained, with require: a
 * worker starts 20-80 ms sooner without the ESM loader, and a producer can exit in that time.
 */
function serve (): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads')
  const { Socket } = require('node:net') as typeof import('node:net')
  const port = parentPort!
  let readAhead = (workerData as { readAhead: number }).readAhead
  let held = 0
  const input = new Socket({ fd: 0, readable: true, writable: false })
  const post = (message: FromThread): void => port.postMessage(message)
  input.on('data', (chunk: Buffer) => {
    held += chunk.length
    // A copy of just these bytes, moved rather than cloned: the chunk may be a view into a larger buffer.
    const copy = new Uint8Array(chunk)
    port.postMessage(copy, [copy.buffer])
    if (held >= readAhead) input.pause()
  })
  input.on('end', () => {
    post({ end: true })
    port.close()
  })
  input.on('error', err => {
    post({ error: err.message })
    port.close()
  })
  port.on('message', (message: ToThread) => {
    if ('stop' in message) {
      input.destroy()
      port.close()
      return
    }
    if ('readAhead' in message) readAhead = message.readAhead
    else held -= message.taken
    if (held < readAhead) input.resume()
    else input.pause()
  })
}
