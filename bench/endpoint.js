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
import { startLocalEndpoint } from 'logbeam/local'
import { CallCounts, now, serveControl } from './control-port.js'

const endpoint = await startLocalEndpoint({ port: 0 })

/** Index of the first call not yet looked at; calls are answered in order here (no faults). */
let scanned = 0
const counts = new CallCounts()

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
      counts.otherCalls++
    } else if (call.status === 200) {
      counts.puts.push({ events: call.events ?? 0, bytes: call.bytes ?? 0, at })
    } else {
      counts.failedPuts++
    }
  }
}
const ticker = setInterval(scan, 1)

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

await serveControl({
  url: endpoint.url,
  counts,
  // Calls answered before the mark are left out, those answered since are stamped.
  update: scan,
  stored: countStored,
  stop: async () => {
    clearInterval(ticker)
    await endpoint.close()
  }
})
