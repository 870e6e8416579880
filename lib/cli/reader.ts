import type { Pipeline } from '../pipeline/pipeline.js'
import { LineSplitter } from '../pipeline/line-splitter.js'

export interface ReaderOptions {
  /** Copy every chunk to `stdout` before it is split. */
  tee: boolean
  /** Pause the input while the pipeline is full (overflow `block`). */
  block: boolean
  /** One-line notices for stderr. */
  warn: (text: string) => void
}

/** What the CLI reads: process.stdin, the thread-read stdin (stdin-thread.ts), a PassThrough in tests. */
export type Input = NodeJS.ReadableStream & {
  isTTY?: boolean
  destroy?: () => void
  readAhead?: (bytes: number) => void
}

/**
 * Feeds stdin into the pipeline, line by line. Reading pauses while the pipeline is full (under
 * `block`) and while stdout does not take the --tee copy, and goes on when both have room.
 */
export class InputReader {
  readonly #stdin: Input
  readonly #stdout: NodeJS.WritableStream
  readonly #pipeline: Pick<Pipeline, 'write' | 'mustWait' | 'onDrain'>
  readonly #opts: ReaderOptions
  readonly #splitter: LineSplitter
  #waitingForBuffer = false
  #waitingForStdout = false
  #teeBroken = false
  #finish: (() => void) | undefined
  #done = false

  constructor (stdin: Input, stdout: NodeJS.WritableStream, pipeline: Pick<Pipeline, 'write' | 'mustWait' | 'onDrain'>,
    opts: ReaderOptions) {
    this.#stdin = stdin
    this.#stdout = stdout
    this.#pipeline = pipeline
    this.#opts = opts
    this.#splitter = new LineSplitter(line => pipeline.write(line))
  }

  /** Reads until the input ends (or stop() is called); a last line without a newline is shipped too. */
  read (): Promise<void> {
    return new Promise(resolve => {
      this.#finish = () => {
        if (this.#done) return
        this.#done = true
        this.#stdin.off('data', this.#onData)
        this.#splitter.end()
        resolve()
      }
      if (this.#opts.tee) this.#stdout.on('error', this.#onStdoutError)
      this.#stdin.on('data', this.#onData)
      this.#stdin.once('end', this.#finish)
      this.#stdin.once('close', this.#finish)
      this.#stdin.once('error', (err: Error) => {
        this.#opts.warn(`cannot read stdin (${err.message}); shipping what was read`)
        this.#finish!()
      })
    })
  }

  /** Stops reading at once; lines already read (and a partial last line) still go to the pipeline. */
  stop (): void {
    if (this.#done) return
    this.#stdin.pause()
    this.#finish?.()
    // Nothing more will be read: the descriptor must not keep the process alive.
    this.#stdin.destroy?.()
  }

  readonly #onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    if (this.#opts.tee && !this.#teeBroken && !this.#stdout.write(bytes) && !this.#waitingForStdout) {
      this.#waitingForStdout = true
      this.#stdin.pause()
      this.#stdout.once('drain', () => {
        this.#waitingForStdout = false
        this.#resume()
      })
    }
    this.#splitter.writeBytes(bytes)
    if (!this.#waitingForBuffer && this.#pipeline.mustWait) {
      this.#waitingForBuffer = true
      this.#stdin.pause()
      this.#pipeline.onDrain(() => {
        this.#waitingForBuffer = false
        this.#resume()
      })
    }
  }

  readonly #onStdoutError = (err: Error): void => {
    if (this.#teeBroken) return
    this.#teeBroken = true
    this.#opts.warn(`stdout closed (${(err as NodeJS.ErrnoException).code ?? err.message}): ` +
      '--tee stops, shipping goes on')
    this.#waitingForStdout = false
    this.#resume()
  }

  #resume (): void {
    if (!this.#done && !this.#waitingForBuffer && !this.#waitingForStdout) this.#stdin.resume()
  }
}
