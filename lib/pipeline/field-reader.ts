// Reads one field of a JSON line by scanning it, without building the object: routing asks for one or two fields of
// every line, and JSON.parse would allocate the whole record to answer that.

/** A path made ready once: its keys, and the text its first key starts with in a pino line. */
export interface FieldPath { keys: readonly string[], token: string }

export function fieldPath (keys: readonly string[]): FieldPath {
  return { keys, token: `"${keys[0]}":` }
}

/** A field's value as routing can use it: a string, or a number kept as written (`35`, `1.5`). */
export type FieldValue = string | undefined

const QUOTE = 34
const BACKSLASH = 92
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const COMMA = 44
const COLON = 58

/**
 * The value at `path` (`['req', 'tenantId']`) of the JSON object in `line`: a string's text, or a number's digits.
 * Undefined when the line is not a JSON object, the field is missing, or it holds anything else (object, array,
 * boolean, null). The first occurrence of a key wins: pino writes its own `level` first, before any field a call
 * adds. (A key is found by its text `"key":` first; should the same key also appear earlier written otherwise, with
 * a space before its colon or escaped, that earlier one is passed over: no JSON writer of log lines does both.)
 * Malformed JSON may yield a value from the part before the fault; it never throws.
 */
export function readField (line: string, { keys: path, token }: FieldPath): FieldValue {
  let i = skipSpace(line, 0)
  if (line.charCodeAt(i) !== OPEN_BRACE) return undefined
  let depth = 0
  const quick = topLevelValue(line, i, token)
  if (quick >= 0) {
    i = quick
    depth = 1
    if (path.length > 1 && line.charCodeAt(i) !== OPEN_BRACE) return undefined
  } else if (line.indexOf(token.slice(0, -1)) < 0 && line.indexOf('\\') < 0) {
    // Neither the key's text nor any escape in the line: the field is not there.
    return undefined
  }
  for (; depth < path.length; depth++) {
    const found = findKey(line, i, path[depth]!)
    if (found < 0) return undefined
    i = found
    if (depth < path.length - 1 && line.charCodeAt(i) !== OPEN_BRACE) return undefined
  }
  return scalarAt(line, i)
}

/**
 * The position of the value of a top-level key, found by searching its text (`"key":`, as pino and JSON.stringify
 * write it) and telling where each match stands: a tight loop up to the match, stepping over strings and counting
 * nesting, says whether it opens a key of the outer object. -1 when no match does; `readField` then walks the keys,
 * which is exact for any spacing or escaping.
 */
function topLevelValue (line: string, open: number, token: string): number {
  let at = line.indexOf(token, open + 1)
  let j = open + 1
  let depth = 1
  while (at >= 0) {
    while (j < at) {
      const c = line.charCodeAt(j)
      if (c === QUOTE) {
        const end = stringEnd(line, j)
        if (end < 0) return -1
        j = end + 1
        continue
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
      j++
    }
    // The scan stopped on the match (not past it, inside a string): a string in the outer object followed by `:`.
    if (j === at && depth === 1) return skipSpace(line, at + token.length)
    at = line.indexOf(token, Math.max(j, at + 1))
  }
  return -1
}

/** Position of the value of `key` in the object opening at `open`, or -1. */
function findKey (line: string, open: number, key: string): number {
  let i = skipSpace(line, open + 1)
  while (i < line.length) {
    if (line.charCodeAt(i) !== QUOTE) return -1
    const end = stringEnd(line, i)
    if (end < 0) return -1
    const matches = keyEquals(line, i, end, key)
    i = skipSpace(line, end + 1)
    if (line.charCodeAt(i) !== COLON) return -1
    i = skipSpace(line, i + 1)
    if (matches) return i
    i = skipSpace(line, valueEnd(line, i))
    const c = line.charCodeAt(i)
    if (c !== COMMA) return -1
    i = skipSpace(line, i + 1)
  }
  return -1
}

/** True when the JSON string between quotes `open` and `close` spells `key`. */
function keyEquals (line: string, open: number, close: number, key: string): boolean {
  const raw = close - open - 1
  if (raw === key.length) return line.startsWith(key, open + 1)
  // Escapes make the text longer than what it spells: only a longer key holding a backslash can still match.
  if (raw < key.length) return false
  let escaped = false
  for (let i = open + 1; i < close && !escaped; i++) escaped = line.charCodeAt(i) === BACKSLASH
  if (!escaped) return false
  try {
    return JSON.parse(line.slice(open, close + 1)) === key
  } catch {
    return false
  }
}

/** Index of the quote closing the string opening at `open`, or -1. */
function stringEnd (line: string, open: number): number {
  // A loop over the characters: the strings of a log line are short, and a search call costs more than it saves.
  for (let i = open + 1; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c === QUOTE) return i
    if (c === BACKSLASH) i++
  }
  return -1
}

/** Index just past the value starting at `i` (a string, an object or array with all it holds, or a literal). */
function valueEnd (line: string, i: number): number {
  const c = line.charCodeAt(i)
  if (c === QUOTE) {
    const end = stringEnd(line, i)
    return end < 0 ? line.length : end + 1
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0
    for (let j = i; j < line.length; j++) {
      const d = line.charCodeAt(j)
      if (d === QUOTE) {
        const end = stringEnd(line, j)
        if (end < 0) return line.length
        j = end
      } else if (d === OPEN_BRACE || d === OPEN_BRACKET) {
        depth++
      } else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) {
        return j + 1
      }
    }
    return line.length
  }
  let j = i
  while (j < line.length) {
    const d = line.charCodeAt(j)
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d <= 32) break
    j++
  }
  return j
}

/** The string or number at `i`, or undefined for other values. */
function scalarAt (line: string, i: number): FieldValue {
  const c = line.charCodeAt(i)
  if (c === QUOTE) {
    const end = stringEnd(line, i)
    if (end < 0) return undefined
    const text = line.slice(i + 1, end)
    if (text.indexOf('\\') < 0) return text
    try {
      return JSON.parse(line.slice(i, end + 1)) as string
    } catch {
      return undefined
    }
  }
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
    const text = line.slice(i, valueEnd(line, i))
    return NUMBER.test(text) ? text : undefined
  }
  return undefined
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/

function skipSpace (line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
    i++
  }
  return i
}
