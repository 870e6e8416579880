/**
 * Reads the time a line was logged from the line itself, without parsing the whole JSON on the
 * hot path: pino writes `{"level":30,"time":1700000000000,...`, so the key is found with indexOf
 * and checked to be a top-level key. Anything unusual falls back to JSON.parse.
 */
export class TimestampReader {
  readonly #key: string
  readonly #token: string

  constructor (key: string) {
    this.#key = key
    this.#token = `"${key}":`
  }

  /** The time in epoch ms, or undefined when the line has no usable time. */
  read (line: string): number | undefined {
    if (line.charCodeAt(0) !== 123 /* { */) return undefined
    const at = line.indexOf(this.#token)
    if (at < 0) return this.#slow(line)
    const before = line.charCodeAt(at - 1)
    // A key token is preceded by `{` or `,`; at top level only if nothing opened a nested
    // object or array before it (strings holding braces take the slow path, which is exact).
    if ((before !== 44 /* , */ && before !== 123) || line.lastIndexOf('{', at - 1) !== 0 || line.lastIndexOf('[', at) >= 0) {
      return this.#slow(line)
    }
    let i = at + this.#token.length
    const c = line.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      // Whole epoch milliseconds, pino's default: parse the digits by hand.
      let n = 0
      for (; i < line.length; i++) {
        const d = line.charCodeAt(i) - 48
        if (d < 0 || d > 9) break
        n = n * 10 + d
      }
      const end = line.charCodeAt(i)
      if (end === 44 || end === 125 /* } */) return normalise(n)
    }
    return this.#slow(line)
  }

  #slow (line: string): number | undefined {
    let value: unknown
    try {
      const parsed: unknown = JSON.parse(line)
      if (parsed === null || typeof parsed !== 'object') return undefined
      value = (parsed as Record<string, unknown>)[this.#key]
    } catch {
      return undefined
    }
    if (typeof value === 'number') return Number.isFinite(value) ? normalise(value) : undefined
    if (typeof value === 'string') {
      const asNumber = Number(value)
      if (value.trim() !== '' && Number.isFinite(asNumber)) return normalise(asNumber)
      const parsed = Date.parse(value)
      return Number.isNaN(parsed) ? undefined : parsed
    }
    return undefined
  }
}

/**
 * Epoch seconds (pino.stdTimeFunctions.unixTime) are told apart from milliseconds by size:
 * below 1e11 a value is taken as seconds (ms values that small are in 1973).
 */
function normalise (n: number): number | undefined {
  if (n < 0) return undefined
  return Math.round(n < 1e11 ? n * 1000 : n)
}
