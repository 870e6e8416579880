// The benchmark endpoints' side channel (bench/sink.js, bench/endpoint.js): POST /mark starts counting from now,
// GET /stats says what came since (see the endpoint files), and the process stops on SIGTERM, SIGINT or when stdin
// closes (so a --cpu-prof profile is written). It prints the one JSON line the benchmark waits for.
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'

export const now = () => performance.timeOrigin + performance.now()

/** What an endpoint counts from the mark on: PutLogEvents calls answered ({ events, bytes, at }), failed, others. */
export class CallCounts {
  puts = []
  failedPuts = 0
  otherCalls = 0
  cpuAtMark = process.cpuUsage()
  markedAt = now()

  mark () {
    this.puts = []
    this.failedPuts = 0
    this.otherCalls = 0
    this.cpuAtMark = process.cpuUsage()
    this.markedAt = now()
  }
}

/** The /stats answer; `stored(group, stream, from, to)`: how many distinct sequence numbers in [from, to) it holds. */
function statsOf (counts, stored, query) {
  const { markedAt, puts, failedPuts, otherCalls, cpuAtMark } = counts
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
  if (group && stream) out.stored = stored(group, stream, Number(query.get('from')), Number(query.get('to')))
  return out
}

/**
 * Serves the mark and the stats of `counts` (a CallCounts) on a port of its own; `update()` brings them up to date
 * before either; `stop()` ends the endpoint before the process exits.
 */
export async function serveControl ({ url, counts, update = () => {}, stored, stop }) {
  const control = createServer((req, res) => {
    const at = new URL(req.url ?? '/', 'http://control')
    let body
    update()
    if (req.method === 'POST' && at.pathname === '/mark') {
      counts.mark()
      body = { ok: true }
    } else if (req.method === 'GET' && at.pathname === '/stats') {
      body = statsOf(counts, stored, at.searchParams)
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
  const end = async () => {
    if (stopping) return
    stopping = true
    control.closeAllConnections()
    control.close()
    await stop()
    process.exit(0)
  }
  process.once('SIGTERM', end)
  process.once('SIGINT', end)
  process.stdin.on('end', end)
  process.stdin.on('error', end)
  process.stdin.resume()
  process.stdout.write(JSON.stringify({ url, control: `http://127.0.0.1:${control.address().port}` }) + '\n')
}
