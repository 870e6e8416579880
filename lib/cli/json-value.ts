// The text of a flag that takes JSON (`--metrics`): the JSON itself, or `@FILE` naming a file that holds it, so that
// a long setting can live in a file next to the app instead of in a quoted command line.
import { readFileSync } from 'node:fs'

export type JsonValue = { ok: true, value: unknown } | { ok: false, reason: string }

/** Parses `text` (or the file `@FILE` names); `read` is the file reader (tests pass their own). */
export function parseJsonValue (text: string, read: (path: string) => string = path => readFileSync(path, 'utf8')):
JsonValue {
  let json = text
  if (text.startsWith('@')) {
    const path = text.slice(1)
    if (path === '') return { ok: false, reason: 'expected a file name after @' }
    try {
      json = read(path)
    } catch (err) {
      return { ok: false, reason: `cannot read ${path}: ${(err as Error).message}` }
    }
  }
  try {
    return { ok: true, value: JSON.parse(json) }
  } catch (err) {
    const where = text.startsWith('@') ? ` in ${text.slice(1)}` : ''
    return { ok: false, reason: `expected JSON${where}: ${(err as Error).message}` }
  }
}
