import t from 'tap'
import { fieldPath, readField as readPath } from '../../lib/pipeline/field-reader.js'

/** The reader on a path given as keys (the router prepares each path once). */
const readField = (line: string, keys: string[]): string | undefined => readPath(line, fieldPath(keys))

/** What JSON.parse makes of the field, as the reader reports it: a string, a number's text, else undefined. */
function parsed (line: string, path: string[]): string | undefined {
  let value: unknown
  try { value = JSON.parse(line) } catch { return undefined }
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return undefined
}

t.test('reads top-level and nested fields of pino lines', async t => {
  const line = '{"level":30,"time":1764000000000,"tenant":"acme","req":{"id":"r1","tenantId":"t-42"},"msg":"hi"}'
  t.equal(readField(line, ['level']), '30')
  t.equal(readField(line, ['tenant']), 'acme')
  t.equal(readField(line, ['req', 'tenantId']), 't-42')
  t.equal(readField(line, ['req', 'missing']), undefined)
  t.equal(readField(line, ['missing']), undefined)
  t.equal(readField(line, ['msg', 'deeper']), undefined, 'a path through a string finds nothing')
})

t.test('values that are not strings or numbers are undefined', async t => {
  const line = '{"a":true,"b":null,"c":{"x":1},"d":[1,2],"e":-1.5e3,"f":""}'
  t.equal(readField(line, ['a']), undefined)
  t.equal(readField(line, ['b']), undefined)
  t.equal(readField(line, ['c']), undefined)
  t.equal(readField(line, ['d']), undefined)
  t.equal(readField(line, ['e']), '-1.5e3', 'a number as written')
  t.equal(readField(line, ['f']), '', 'an empty string is a value (the router refuses it as a name)')
})

t.test('strings holding quotes, braces and escapes are skipped and decoded exactly', async t => {
  const line = '{"msg":"a \\"quoted\\" {brace} [x] \\\\","n":{"s":"}\\\\\\"{"},"tenant":"caf\\u00e9\\n","k\\u0065y":"v"}'
  t.equal(readField(line, ['tenant']), parsed(line, ['tenant']))
  t.equal(readField(line, ['n', 's']), parsed(line, ['n', 's']))
  t.equal(readField(line, ['key']), 'v', 'an escaped key is compared decoded')
})

t.test('the first occurrence of a key wins (pino writes its own level first)', async t => {
  t.equal(readField('{"level":30,"msg":"x","level":"fake"}', ['level']), '30')
})

t.test('a key\'s text inside a string or a nested object is not the field', async t => {
  t.equal(readField('{"msg":"say \\"tenant\\":\\"evil\\"","tenant":"real"}', ['tenant']), 'real')
  t.equal(readField('{"req":{"tenant":"inner"},"tenant":"outer"}', ['tenant']), 'outer')
  t.equal(readField('{"list":[{"tenant":"in"}],"tenant":"out"}', ['tenant']), 'out')
  t.equal(readField('{"req":{"tenant":"inner"}}', ['tenant']), undefined)
  t.equal(readField('{"msg":"{\\"tenant\\":1}"}', ['tenant']), undefined)
})

t.test('whitespace anywhere JSON allows it', async t => {
  t.equal(readField(' {\t"a" : { "b" :\n"c" } }', ['a', 'b']), 'c')
})

t.test('not JSON, or malformed, never throws', async t => {
  for (const line of ['', 'plain text', '[1,2]', '{', '{"a"', '{"a":', '{"a":"unterminated', '{"a" 1}', '{a:1}',
    '{"x":{"y":[}', '"just a string"', '{"a":"b",}']) {
    t.doesNotThrow(() => readField(line, ['a']), JSON.stringify(line))
    t.equal(readField(line, ['zz']), undefined, `${JSON.stringify(line)}: a missing key is undefined`)
  }
})

t.test('agrees with JSON.parse on generated records', async t => {
  let seed = 7
  const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }
  const pieces = ['a', 'b', '"', '\\', '{', '}', '[', ']', ':', ',', 'é', '😀', ' ', '\n']
  const text = (): string => Array.from({ length: random(8) }, () => pieces[random(pieces.length)]).join('')
  const value = (depth: number): unknown => {
    switch (random(depth > 2 ? 4 : 6)) {
      case 0: return text()
      case 1: return random(1000) - 500
      case 2: return random(2) === 0
      case 3: return null
      case 4: return Array.from({ length: random(3) }, () => value(depth + 1))
      default: return Object.fromEntries(Array.from({ length: random(4) }, (_, i) => [`k${i}`, value(depth + 1)]))
    }
  }
  for (let i = 0; i < 2000; i++) {
    // Nested objects before k2 may hold a k2 of their own: the top-level one must be found, not theirs.
    const record = { k0: value(0), k1: { k0: value(1), k1: value(1), k2: value(1) }, k2: value(0) }
    // Compact as pino writes it, and spaced (`"k0": 1`) as other producers may.
    for (const line of [JSON.stringify(record), JSON.stringify(record, null, i % 3)]) {
      for (const path of [['k0'], ['k1', 'k0'], ['k1', 'k1'], ['k1', 'k2'], ['k2'], ['k3']]) {
        if (readField(line, path) !== parsed(line, path)) {
          t.fail(`${line} at ${path.join('.')}: ${readField(line, path)} vs ${parsed(line, path)}`)
          return
        }
      }
    }
  }
  t.pass('2000 records, compact and spaced, 6 paths each, all equal')
})
