import { StringDecoder } from 'node:string_decoder'

const NEWLINE = 0x0a
const CR = 13

/**
 * Past this many characters without a newline, what was read is handed on as a line of its own:
 * input that never ends a line must not grow memory without bound. The pipeline splits such
 * lines into events anyway; the pieces still join back to every byte.
 */
export const MAX_PENDING_CHARS = 16 * 1024 * 1024

/**
 * Cuts a byte stream into lines. Chunks are searched with indexOf and decoded once, by a
 * StringDecoder that keeps a character cut between two chunks whole and turns invalid bytes into
 * U+FFFD. The newline and a `\r` before it are removed; a last line without a newline comes out
 * of end().
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8')
  readonly #onLine: (line: string) => void
  readonly #maxPending: number
  #pending: string[] = []
  #pendingChars = 0

  constructor (onLine: (line: string) => void, maxPending = MAX_PENDING_CHARS) {
    this.#onLine = onLine
    this.#maxPending = maxPending
  }

  push (chunk: Buffer): void {
    let start = 0
    let nl = chunk.indexOf(NEWLINE)
    while (nl !== -1) {
      // A newline byte cannot be part of a UTF-8 character: bytes left in the decoder were a cut
      // character, end() turns them into U+FFFD and readies the decoder for the next line.
      const tail = this.#decoder.write(chunk.subarray(start, nl)) + this.#decoder.end()
      this.#emit(tail)
      start = nl + 1
      nl = chunk.indexOf(NEWLINE, start)
    }
    if (start < chunk.length) {
      const text = this.#decoder.write(start === 0 ? chunk : chunk.subarray(start))
      if (text !== '') {
        this.#pending.push(text)
        this.#pendingChars += text.length
        if (this.#pendingChars >= this.#maxPending) this.#emit('', false)
      }
    }
  }

  /** The input ended: a last line without a newline is handed on. */
  end (): void {
    const tail = this.#decoder.end()
    if (tail !== '' || this.#pending.length > 0) this.#emit(tail)
  }

  #emit (tail: string, lineEnded = true): void {
    let line = tail
    if (this.#pending.length > 0) {
      this.#pending.push(tail)
      line = this.#pending.join('')
      this.#pending = []
      this.#pendingChars = 0
    }
    if (lineEnded && line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1)
    this.#onLine(line)
  }
}
