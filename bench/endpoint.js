// The local CloudWatch Logs endpoint in a process of its own, so that its CPU is not counted
// against the process being measured. It prints one JSON line on stdout when it is ready:
//   {"url":"http://127.0.0.1:PORT","control":"http://127.0.0.1:PORT2"}
// `url` is the CloudWatch Logs endpoint (lib/local, unchanged). `control` is a small side channel
// for the benchmark, built only on the LocalEndpoint API (its `calls` and `events`):
//   POST /mark   start counting from now (calls made before, e.g. a warm-up, are left out)
//   GET  /stats  PutLogEvents calls since the mark: events and bytes of each successful call,
//                when the last one was answered, failed calls, this process's CPU since the
//                mark; with ?group=G&stream=S&from=A&to=B also how many distinct lines with a
//                sequence number `"n":` in [A, B) the stream holds (checked by content).
// Stops on SIGTERM, SIGINT, or when stdin closes (so a --cpu-prof profile is written).
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { startLocalEndpoint } from 'logbeam/local'

const now = () => performance.timeOrigin + performance.now()

const endpoint = await startLocalEndpoint({ port: 0 })

/** Index of the first call not yet looked at; calls are answered in order here (no faults). */
let scanned = 0
let puts = []
let failedPuts = 0
let otherCalls = 0
let cpuAtMark = process.cpuUsage()
let markedAt = now()

/**
 * Takes note of the calls answered since the last look. `calls` only says *that* a call was
 * answered (its status is set), not when: looking every millisecond stamps each answer to within
 * about a millisecond, which is what the end-to-end times are read from.
 */
function scan () {
  const calls = endpoint.calls
  const at = now()
  while (scanned < calls.length && calls[scanned].status !== 0) {
    const call = calls[scanned++]
    if (call.operation !== 'PutLogEvents') {
      otherCalls++
    } else if (call.status === 200) {
      puts.push({ events: call.events ?? 0, bytes: call.bytes ?? 0, at })
    } else {
      failedPuts++
    }
  }
}
const ticker = setInterval(scan, 1)

function mark () {
  scan()
  puts = []
  failedPuts = 0
  otherCalls = 0
  cpuAtMark = process.cpuUsage()
  markedAt = now()
}

/** Distinct sequence numbers in [from, to) among the stored events of one stream. */
function countStored (group, stream, from, to) {
  const seen = new Set()
  for (const event of endpoint.events(group, stream)) {
    const at = event.message.indexOf('"n":')
    if (at < 0) continue
    const n = parseInt(event.message.slice(at + 4, at + 24), 10)
    if (n >= from && n < to) seen.add(n)
  }
  return seen.size
}

function stats (query) {
  scan()
  const cpu = process.cpuUsage(cpuAtMark)
  const out = {
    markedAt,
    puts: puts.map(p => [p.events, p.bytes]),
    firstPutAt: puts.length > 0 ? puts[0].at : null,
    lastPutAt: puts.length > 0 ? puts[puts.length - 1].at : null,
    failedPuts,
    otherCalls,
    cpuUs: cpu.user + cpu.system,
    rssBytes: process.memoryUsage.rss()
  }
  const group = query.get('group')
  const stream = query.get('stream')
  if (group && stream) {
    out.stored = countStored(group, stream, Number(query.get('from')), Number(query.get('to')))
  }
  return out
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://control')
  let body
  if (req.method === 'POST' && url.pathname === '/mark') {
    mark()
    body = { ok: true }
  } else if (req.method === 'GET' && url.pathname === '/stats') {
    body = stats(url.searchParams)
  } else {
    res.writeHead(404).end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
})
await new Promise(resolve => control.listen(0, '127.0.0.1', resolve))

let stopping = false
async function stop () {
  if (stopping) return
  stopping = true
  clearInterval(ticker)
  control.closeAllConnections()
  control.close()
  await endpoint.close()
  process.exit(0)
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.stdin.resume()

process.stdout.write(JSON.stringify({ url: endpoint.url, control: `http://127.0.0.1:${control.address().port}` }) + '\n')
