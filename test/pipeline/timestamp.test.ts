import t from 'tap'
import { TimestampReader } from '../../lib/pipeline/timestamp.js'

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
