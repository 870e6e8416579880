// The benchmark's CloudWatch Logs endpoint: a sink that answers every call at once and reads PutLogEvents bodies with
// one byte scan, storing nothing but counters. It runs in a process of its own, like bench/endpoint.js, with the same
// control port (POST /mark, GET /stats), so that what the benchmark measures is logbeam and not the endpoint: the
// strict local endpoint (lib/local) checks every rule and keeps every event, at about 1.4 µs of CPU per 100 B line on
// the same cores; this one costs a fraction of that (its CPU is reported per case as "endpoint CPU").
//
// It checks no signature and no rule: correctness is the tests' job (against the strict endpoint and moto). What it
// does count, from the bytes: events and their size the service's way (message bytes after unescaping, + 26) per
// call, and, per stream, which sequence numbers `"n":N` the messages hold, so a run can say every line arrived.
//
//   node bench/sink.js      prints {"url":…,"control":…} once listening; stops on SIGTERM/SIGINT or when stdin closes
import { createServer } from 'node:http'
import { CallCounts, now, serveControl } from './control-port.js'

const TIMESTAMP = Buffer.from('{"timestamp":')
const MESSAGE = Buffer.from(',"message":"')

const counts = new CallCounts()
/** Per stream: a byte per sequence number seen (1 = held). */
const seen = new Map()

function seqMap (stream) {
  let map = seen.get(stream)
  if (map === undefined) seen.set(stream, map = { bits: new Uint8Array(1 << 16) })
  return map
}

function note (map, n) {
  if (n >= map.bits.length) {
    const bigger = new Uint8Array(Math.max(map.bits.length * 2, n + 1))
    bigger.set(map.bits)
    map.bits = bigger
  }
  map.bits[n] = 1
}

/** A name's value in the body's head (`"key":"value"`; bench names hold nothing to unescape). */
function nameIn (body, key) {
  const at = body.indexOf(`"${key}":"`)
  if (at < 0) return ''
  const from = at + key.length + 4
  return body.toString('utf8', from, body.indexOf(34, from))
}

/**
 * Walks every event of a PutLogEvents body: counts them and their bytes the service's way, and notes each `"n":N`
 * found in a message (escaped there as `\"n\":N`). One pass over the bytes, no decoding, no objects: events written
 * as the SDK and logbeam write them (`{"timestamp":N,"message":"…"}`, comma-separated) are stepped over without a
 * search; anything else is found by one.
 */
function scan (body, map) {
  let events = 0
  let bytes = 0
  let at = body.indexOf(TIMESTAMP)
  while (at >= 0) {
    let i = at + TIMESTAMP.length
    while (body[i] >= 48 && body[i] <= 57) i++
    i = body[i] === 44 && body[i + 2] === 109 && body[i + 11] === 34
      ? i + MESSAGE.length
      : body.indexOf(MESSAGE, at + TIMESTAMP.length) + MESSAGE.length
    const start = i
    let saved = 0
    let plain = 0
    for (;;) {
      const c = body[i]
      if (c === 34) break
      if (c !== 92) {
        i++
        // A long run without quotes or backslashes (the text of a long line): jump to the next one natively.
        if (++plain === 64) {
          const quote = body.indexOf(34, i)
          const escape = body.indexOf(92, i)
          i = escape >= 0 && escape < quote ? escape : quote
          plain = 0
        }
        continue
      }
      plain = 0
      const e = body[i + 1]
      if (e === 117) {
        // \uXXXX: one UTF-16 unit written in six bytes, stored in one to three (a surrogate pair's half in two).
        const unit = parseInt(body.toString('latin1', i + 2, i + 6), 16)
        saved += unit < 0x80 ? 5 : unit < 0x800 ? 4 : unit >= 0xd800 && unit < 0xe000 ? 4 : 3
        i += 6
        continue
      }
      // \"n\": followed by digits
      if (e === 34 && body[i + 2] === 110 && body[i + 3] === 92 && body[i + 4] === 34 && body[i + 5] === 58) {
        let j = i + 6
        let n = 0
        while (body[j] >= 48 && body[j] <= 57) n = n * 10 + body[j++] - 48
        if (j > i + 6) note(map, n)
      }
      saved += 1
      i += 2
    }
    events++
    bytes += i - start - saved + 26
    // `"},{"timestamp":` after the closing quote: the next event, else a search (or the end of the array).
    at = body[i + 1] === 125 && body[i + 2] === 44 && body[i + 4] === 34 && body[i + 5] === 116
      ? i + 3
      : body.indexOf(TIMESTAMP, i)
  }
  return { events, bytes }
}

/**
 * The sink starts fresh for every run and sees a few dozen calls: scanning a made-up body first has V8 optimise the
 * scan before the measured span, rather than during it.
 */
function warmUp () {
  const line = JSON.stringify({ level: 30, time: 1, pid: 1, hostname: 'h', n: 1, msg: 'warm-up \u00e9 \n' })
  const events = Array.from({ length: 4000 }, (_, i) => ({ timestamp: i, message: line }))
  const body = Buffer.from(JSON.stringify({ logGroupName: 'w', logStreamName: 'w', logEvents: events }))
  const map = { bits: new Uint8Array(2) }
  for (let i = 0; i < 30; i++) scan(body, map)
}
warmUp()

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', chunk => chunks.push(chunk))
  req.on('end', () => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1]
    if (operation === 'PutLogEvents') {
      const body = Buffer.concat(chunks)
      const map = seqMap(`${nameIn(body, 'logGroupName')}\u0000${nameIn(body, 'logStreamName')}`)
      const { events, bytes } = scan(body, map)
      counts.puts.push({ events, bytes, at: now() })
    } else {
      counts.otherCalls++
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': 2 })
    res.end('{}')
  })
})
server.keepAliveTimeout = 60_000
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))

/** Distinct sequence numbers in [from, to) seen in one stream. */
function stored (group, stream, from, to) {
  const bits = seen.get(`${group}\u0000${stream}`)?.bits ?? new Uint8Array(0)
  let count = 0
  for (let n = from; n < Math.min(to, bits.length); n++) count += bits[n]
  return count
}

await serveControl({
  url: `http://127.0.0.1:${server.address().port}`,
  counts,
  stored,
  stop: () => {
    server.closeAllConnections()
    server.close()
  }
})
