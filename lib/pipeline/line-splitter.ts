import { StringDecoder } from 'node:string_decoder'

/**
 * Past this many characters without a newline, what was read is handed on as a line of its own:
 * input that never ends a line must not grow memory without bound. The packer splits such a line
 * into events anyway; the pieces still join back to every byte.
 */
export const MAX_PENDING_CHARS = 16 * 1024 * 1024

/**
 * Unicode White_Space: what JavaScript's `\s` covers (ASCII space and tabs, NBSP, U+1680, U+2000-U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000, and U+FEFF besides), plus U+0085 (NEL), which `\s` leaves out.
 */
const BLANK = /^[\s\u0085]*$/

/**
 * True for a line with nothing to read: empty, or only whitespace of any script. Such lines are skipped (the service
 * refuses empty messages, and one of spaces alone says nothing). Lines starting with a printable ASCII character,
 * which every JSON line does, are told apart without a regular expression.
 */
export function isBlank (line: string): boolean {
  const c = line.charCodeAt(0)
  if (c > 32 && c < 127) return false
  return BLANK.test(line)
}

/**
 * Cuts text into lines with indexOf and slice, one pass per chunk. The worker gets text that
 * thread-stream already decoded; the CLI's bytes go through a StringDecoder kept across chunks,
 * which keeps a character cut between two chunks whole and turns invalid bytes into U+FFFD. A
 * `\r` before the newline is dropped; a last line without a newline comes out of end(). A byte-order mark at the
 * very start of the input is not part of the first line (Windows tools write one before UTF-8 text).
 */
export class LineSplitter {
  readonly #onLine: (line: string) => void
  readonly #maxPending: number
  #decoder: StringDecoder | undefined
  #pending = ''
  #started = false

  constructor (onLine: (line: string) => void, maxPending = MAX_PENDING_CHARS) {
    this.#onLine = onLine
    this.#maxPending = maxPending
  }

  /** Text, already decoded. */
  write (text: string): void {
    if (!this.#started && text !== '') {
      this.#started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    let start = 0
    let nl = text.indexOf('\n')
    if (nl !== -1 && this.#pending !== '') {
      this.#line(this.#pending + text.slice(0, nl))
      this.#pending = ''
      start = nl + 1
      nl = text.indexOf('\n', start)
    }
    while (nl !== -1) {
      this.#line(text.slice(start, nl))
      start = nl + 1
      nl = text.indexOf('\n', start)
    }
    if (start < text.length) {
      this.#pending += start === 0 ? text : text.slice(start)
      if (this.#pending.length >= this.#maxPending) {
        this.#onLine(this.#pending)
        this.#pending = ''
      }
    }
  }

  /** Bytes, decoded as UTF-8. */
  writeBytes (chunk: Buffer): void {
    this.#decoder ??= new StringDecoder('utf8')
    this.write(this.#decoder.write(chunk))
  }

  /** The input ended: a last line without a newline is handed on. */
  end (): void {
    const rest = this.#pending + (this.#decoder?.end() ?? '')
    this.#pending = ''
    if (rest !== '') this.#line(rest)
  }

  /** CRLF input: the `\r` before a newline is not part of the line. */
  #line (line: string): void {
    this.#onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line)
  }
}
