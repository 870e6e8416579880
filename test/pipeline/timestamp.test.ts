import t from 'tap'
import { parseTimeString, TimestampReader } from '../../lib/pipeline/timestamp.js'

const reader = new TimestampReader('time')

t.test('pino lines: epoch ms read without parsing', async t => {
  t.equal(reader.read('{"level":30,"time":1764000000123,"pid":1,"msg":"hi"}'), 1764000000123)
  t.equal(reader.read('{"time":1764000000123}'), 1764000000123)
})

t.test('ISO strings, epoch seconds and fractional values', async t => {
  t.equal(reader.read('{"level":30,"time":"2026-11-24T10:00:00.000Z","msg":"x"}'), Date.UTC(2026, 10, 24, 10))
  t.equal(reader.read('{"level":30,"time":1764000000,"msg":"x"}'), 1764000000000, 'seconds')
  t.equal(reader.read('{"level":30,"time":1764000000.5,"msg":"x"}'), 1764000000500, 'fractional seconds')
  t.equal(reader.read('{"time":"1764000000123"}'), 1764000000123, 'numeric string')
})

t.test('a nested or quoted "time" is not taken for the top-level one', async t => {
  t.equal(reader.read('{"req":{"time":5},"time":1764000000123}'), 1764000000123)
  t.equal(reader.read('{"msg":"\\"time\\":5","time":1764000000123}'), 1764000000123)
  t.equal(reader.read('{"list":[{"time":5}],"time":1764000000123}'), 1764000000123)
  t.equal(reader.read('{"req":{"time":5}}'), undefined, 'only nested: none')
})

t.test('lines without a usable time give undefined (the caller stamps the read time)', async t => {
  t.equal(reader.read('plain text'), undefined)
  t.equal(reader.read('{"msg":"no time"}'), undefined)
  t.equal(reader.read('{"time":null}'), undefined)
  t.equal(reader.read('{"time":"yesterday"}'), undefined)
  t.equal(reader.read('{"time":-5}'), undefined)
  t.equal(reader.read('{"time":1e400}'), undefined)
  t.equal(reader.read('{broken json "time":1764000000123'), undefined)
  t.equal(reader.read('[1,2]'), undefined)
})

t.test('a custom key', async t => {
  const r = new TimestampReader('@timestamp')
  t.equal(r.read('{"@timestamp":"2026-01-01T00:00:00Z","time":5}'), Date.UTC(2026, 0, 1))
})

t.test('words with a number in them are not times', async t => {
  for (const text of ['Request 1', 'Error 404', '0x10', 'user 42', 'May 5', '1e12', '-5', '+1764000000', ' 1764000000', '1764000000 ',
    '12:00', 'Tue, 01 Dec 2026 10:00:00 GMT', '2026/12/01', '', 'Infinity', '1_764_000_000']) {
    t.equal(reader.read(JSON.stringify({ time: text })), undefined, JSON.stringify(text))
  }
})

t.test('numeric strings in decimal are epoch times', async t => {
  t.equal(parseTimeString('1764000000123'), 1764000000123)
  t.equal(parseTimeString('1764000000'), 1764000000000, 'seconds')
  t.equal(parseTimeString('1764000000.25'), 1764000000250)
  t.equal(parseTimeString('0'), 0)
  t.equal(parseTimeString('9'.repeat(400)), undefined, 'too large to be a number')
})

t.test('ISO 8601: a date, a time with or without seconds, a fraction, a zone', async t => {
  const at = Date.UTC(2026, 11, 1, 10, 20, 30, 456)
  t.equal(parseTimeString('2026-12-01'), Date.UTC(2026, 11, 1), 'a date alone is UTC midnight')
  t.equal(parseTimeString('2026-12-01T10:20Z'), Date.UTC(2026, 11, 1, 10, 20))
  t.equal(parseTimeString('2026-12-01T10:20:30Z'), Date.UTC(2026, 11, 1, 10, 20, 30))
  t.equal(parseTimeString('2026-12-01T10:20:30.456Z'), at)
  t.equal(parseTimeString('2026-12-01T10:20:30,456Z'), at, 'a comma before the fraction')
  t.equal(parseTimeString('2026-12-01T10:20:30.456789123Z'), at, 'nanoseconds cut to ms')
  t.equal(parseTimeString('2026-12-01T10:20:30.4Z'), at - 56)
  t.equal(parseTimeString('2026-12-01T12:20:30.456+02:00'), at)
  t.equal(parseTimeString('2026-12-01T12:20:30.456+0200'), at)
  t.equal(parseTimeString('2026-12-01T12:20:30.456+02'), at)
  t.equal(parseTimeString('2026-12-01T04:50:30.456-05:30'), at)
  t.equal(parseTimeString('2026-12-01T10:20:30.456'), new Date(2026, 11, 1, 10, 20, 30, 456).getTime(), 'no zone: local time')
})

t.test('ISO 8601 at its boundaries', async t => {
  t.equal(parseTimeString('2028-02-29'), Date.UTC(2028, 1, 29), 'a leap day')
  t.equal(parseTimeString('2026-12-31T23:59:59.999Z'), Date.UTC(2026, 11, 31, 23, 59, 59, 999))
  t.equal(parseTimeString('1970-01-01T00:00:00Z'), 0)
  for (const text of ['2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-12-00', '2026-12-01T24:00:00Z',
    '2026-12-01T10:60Z', '2026-12-01T10:20:60Z', '2026-12-01T10:20:30+24:00', '2026-12-01T10:20:30+05:60', '1969-12-31',
    '0404-01-01', '2026-12-1', '2026-12-01T1:20Z', '2026-12-01 10:20:30Z', '2026-12-01T10:20:30.Z', '2026-12-01T10Z',
    '20261201T102030Z', '2026-12-01T10:20:30z', 'x2026-12-01', '2026-12-01x', '+002026-12-01']) {
    t.equal(parseTimeString(text), undefined, text)
  }
})

t.test('numbers, at the seconds/milliseconds boundary', async t => {
  t.equal(reader.read('{"time":99999999999}'), 99999999999000, 'below 1e11: seconds')
  t.equal(reader.read('{"time":100000000000}'), 100000000000, 'from 1e11: milliseconds')
  t.equal(reader.read('{"time":0}'), 0)
})
