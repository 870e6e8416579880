import t from 'tap'
import { isBlank, LineSplitter } from '../../lib/pipeline/line-splitter.js'

function split (chunks: Buffer[], maxPending?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter(line => lines.push(line), maxPending)
  for (const chunk of chunks) splitter.writeBytes(chunk)
  splitter.end()
  return lines
}

/** Every way of cutting `input` in two, plus one byte per chunk. */
function cuts (input: Buffer): Buffer[][] {
  const all: Buffer[][] = [[...input].map(b => Buffer.from([b]))]
  for (let i = 0; i <= input.length; i++) all.push([input.subarray(0, i), input.subarray(i)])
  return all
}

t.test('many lines in one chunk', async t => {
  t.same(split([Buffer.from('a\nbb\nccc\n')]), ['a', 'bb', 'ccc'])
})

t.test('a line spread over chunks, wherever they are cut', async t => {
  const input = Buffer.from('first line\nsecond\n')
  for (const chunks of cuts(input)) t.same(split(chunks), ['first line', 'second'], chunks.map(c => c.length).join('+'))
})

t.test('a character cut between two chunks stays whole', async t => {
  const input = Buffer.from('añ€😀z\n')
  for (const chunks of cuts(input)) t.same(split(chunks), ['añ€😀z'])
})

t.test('\\r\\n ends a line even when cut between the two bytes', async t => {
  for (const chunks of cuts(Buffer.from('one\r\ntwo\r\n'))) t.same(split(chunks), ['one', 'two'])
})

t.test('a \\r inside a line is kept', async t => {
  t.same(split([Buffer.from('a\rb\n')]), ['a\rb'])
})

t.test('invalid bytes become U+FFFD, a character cut by a newline too', async t => {
  t.same(split([Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x82, 0x0a, 0x63, 0x0a])]), ['a\ufffdb', '\ufffd', 'c'])
})

t.test('an incomplete character at the very end becomes U+FFFD', async t => {
  t.same(split([Buffer.from([0x61, 0xe2, 0x82])]), ['a\ufffd'])
})

t.test('the last line without a newline comes out at the end; an empty input gives nothing', async t => {
  t.same(split([Buffer.from('a\nb')]), ['a', 'b'])
  t.same(split([]), [])
  t.same(split([Buffer.from('a\n')]), ['a'])
})

t.test('empty lines are handed on (the pipeline skips them)', async t => {
  t.same(split([Buffer.from('\n\na\n')]), ['', '', 'a'])
})

t.test('input that never ends a line is handed on in pieces that join back to it', async t => {
  const lines = split([Buffer.from('x'.repeat(10)), Buffer.from('y'.repeat(10)), Buffer.from('z\r'), Buffer.from('\nnext\n')], 8)
  t.same(lines, ['xxxxxxxxxx', 'yyyyyyyyyy', 'z', 'next'])
})

t.test('text chunks, as the worker gets them from thread-stream', async t => {
  const lines: string[] = []
  const splitter = new LineSplitter(line => lines.push(line))
  for (const chunk of ['{"a":1}\n{"b"', ':2}\n', '{"c":3}\r\n', 'tail']) splitter.write(chunk)
  t.same(lines, ['{"a":1}', '{"b":2}', '{"c":3}'])
  splitter.end()
  t.same(lines, ['{"a":1}', '{"b":2}', '{"c":3}', 'tail'])
})

t.test('a byte-order mark at the start of the input is not part of the first line, wherever the chunks are cut', async t => {
  const input = Buffer.from('\ufefffirst\n\ufeffsecond\n')
  for (const chunks of cuts(input)) t.same(split(chunks), ['first', '\ufeffsecond'], chunks.map(c => c.length).join('+'))
  t.same(split([Buffer.from('\ufeff')]), [], 'a BOM alone is no line')
  t.same(split([Buffer.from([0xef, 0xbb])]), ['\ufffd'], 'half a BOM is an invalid character, not a BOM')
})

t.test('a byte-order mark in decoded text is dropped too', async t => {
  const lines: string[] = []
  const splitter = new LineSplitter(line => lines.push(line))
  splitter.write('')
  splitter.write('\ufeff{"a":1}\n')
  splitter.end()
  t.same(lines, ['{"a":1}'])
})

/** Names the characters: U+2028 printed as is would end the TAP line it is in. */
const codes = (line: string): string => [...line].map(c => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join(' ') || '(empty)'

t.test('isBlank: empty lines and lines of only whitespace, in any script', async t => {
  const blank = ['', ' ', '\t', '\r', '\v\f', '\u00a0', '\u0085', '\u1680', '\u2000\u200a', '\u2028', '\u2029', '\u202f',
    '\u205f', '\u3000', '\ufeff', ' \u00a0\t\u3000 ']
  for (const line of blank) t.ok(isBlank(line), codes(line))
  const notBlank = ['a', '{}', ' a', '\u00a0x', 'x\u00a0', '\u200b', '\u2060', '\u0000', '.', '\u3000\u3042']
  for (const line of notBlank) t.notOk(isBlank(line), codes(line))
})
