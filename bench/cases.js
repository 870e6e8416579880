// The case list: what each case logs, through which transport, with which logbeam options. run.js runs them,
// case.js runs one (the fields it reads are listed at its top).

const VARIANTS = {
  devnull: { label: 'pino → /dev/null', kind: 'devnull' },
  noop: { label: 'no-op worker transport', kind: 'noop' },
  // The floor the whole-process and worker CPU goals are measured against: a transport that reads each line.
  'noop-json': { label: 'no-op worker transport that JSON-parses each line', kind: 'noop', parseJson: true },
  // The defaults: no calls/s cap (CloudWatch throttles per account, not per stream), adaptive concurrency.
  'logbeam-unlimited': { label: 'logbeam, defaults', kind: 'logbeam', maxPutsPerSecond: 0 },
  'logbeam-metrics': {
    label: 'logbeam, defaults, `metrics` set, no metric field in the lines', kind: 'logbeam', maxPutsPerSecond: 0
  }
}

/** The `metrics` option of the logbeam-metrics case: the lines hold none of these fields, so none is parsed. */
const METRICS = {
  namespace: 'Bench',
  dimensions: [['service']],
  fields: { latencyMs: 'Milliseconds', bytesSent: 'Bytes', retries: 'Count' }
}

const SIZES = [
  { name: '100B', lineBytes: 100, count: 200_000 },
  { name: '1KB', lineBytes: 1024, count: 100_000 },
  { name: '10KB', lineBytes: 10_240, count: 20_000 }
]

/**
 * These cases measure throughput: a buffer that holds the whole burst, so that every line is delivered and timed.
 * The 1M case measures memory with the default buffer.
 */
const WHOLE_BURST = 1024 * 1024 * 1024

/** Every case, in the order they run in each round; `quick`: a tenth of the lines and a 1 s sustained case. */
export function buildCases (quick) {
  const k = quick ? 10 : 1
  const cases = []
  const add = (group, name, variant, extra) => {
    cases.push({ id: `${name} ${variant}`, group, name, variant, ...VARIANTS[variant], mode: 'burst', ...extra })
  }
  for (const size of SIZES) {
    const floors = size.lineBytes <= 1024 ? ['devnull', 'noop', 'noop-json'] : ['devnull', 'noop']
    const variants = [...floors, 'logbeam-unlimited']
    for (const variant of variants) {
      add('size', size.name, variant, {
        lineBytes: size.lineBytes, count: size.count / k, logbeamOptions: { maxBufferSize: WHOLE_BURST }
      })
    }
  }
  // What `metrics` costs a line that holds no metric field (one scan of the line): against 100B logbeam-unlimited,
  // at the size where a per-line cost weighs most. bench/metrics-cost.js times the write path alone.
  add('size', '100B', 'logbeam-metrics', {
    lineBytes: 100, count: 200_000 / k, logbeamOptions: { maxBufferSize: WHOLE_BURST, metrics: METRICS }
  })
  // With the default buffer (64 MiB): a burst larger than it waits for room while calls succeed, nothing dropped.
  for (const variant of ['noop', 'logbeam-unlimited']) {
    add('million', '1M', variant, { lineBytes: 100, count: 1_000_000 / k, heapProbe: true })
  }
  const seconds = quick ? 1 : 3
  for (const variant of ['noop', 'logbeam-unlimited']) {
    add('sustained', 'sustained', variant, {
      lineBytes: 100, count: 100_000 * seconds, mode: 'paced', rate: 100_000, seconds
    })
  }
  return cases
}
