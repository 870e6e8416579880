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
    if (before !== 44 /* , */ && before !== 123) return this.#slow(line)
    // pino puts the time second: a loop over so few characters costs less than two searches.
    for (let j = 1; j < at; j++) {
      const c = line.charCodeAt(j)
      if (c === 123 /* { */ || c === 91 /* [ */) return this.#slow(line)
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
    if (typeof value === 'string') return parseTimeString(value)
    return undefined
  }
}

/** A decimal number, as epoch ms or s: `"1764000000123"`, `"1764000000.5"`. No sign, exponent, hex or spaces. */
const DECIMAL = /^[0-9]+(?:\.[0-9]+)?$/

/**
 * ISO 8601 in its extended form: a date, then optionally `T` and a time (hh:mm, :ss, a fraction after `.` or `,`)
 * with an optional zone (`Z`, ±hh, ±hhmm, ±hh:mm). Date.parse is not used to decide: it reads `"Request 1"` as 2001,
 * `"Error 404"` as the year 404 and `"user 42"` as 2042, times the service would then file 14 days back or 2 h ahead.
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?$/

/** A string time: a decimal number or ISO 8601, else undefined (the line then gets the time it was read). */
export function parseTimeString (text: string): number | undefined {
  if (DECIMAL.test(text)) {
    const n = Number(text)
    return Number.isFinite(n) ? normalise(n) : undefined
  }
  const m = ISO_8601.exec(text)
  if (!m) return undefined
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone, sign, zoneH = '0', zoneM = '0'] = m
  const [y, mo, d, h, mi, sec] = [year, month, day, hour ?? '0', minute ?? '0', second].map(Number) as
    [number, number, number, number, number, number]
  // Before 1970 is not a log time (and Date.UTC maps the years 0-99 onto 1900-1999).
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined
  if (Number(zoneH) > 23 || Number(zoneM) > 59) return undefined
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'))
  // A date alone is UTC midnight; a time without a zone is local time (as ECMAScript reads ISO strings).
  if (hour !== undefined && zone === undefined) return new Date(y, mo - 1, d, h, mi, sec, ms).getTime()
  const offset = (sign === '-' ? -1 : 1) * (Number(zoneH) * 60 + Number(zoneM)) * 60_000
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset
}

/** Days in `month` (1-12) of `year`. */
function daysIn (year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * Epoch seconds (pino.stdTimeFunctions.unixTime) are told apart from milliseconds by size:
 * below 1e11 a value is taken as seconds (ms values that small are in 1973).
 */
function normalise (n: number): number | undefined {
  if (n < 0) return undefined
  return Math.round(n < 1e11 ? n * 1000 : n)
}
