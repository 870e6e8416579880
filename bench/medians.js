// Folds the runs of one case into one figure each: the median of every number, and for the figures that flag a
// problem (dropped lines, failed calls, stalls, a full buffer, an incomplete delivery) the worst run, so that a
// problem seen once is not hidden by the runs where it did not happen.

function median (values) {
  const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return null
  const mid = v.length >> 1
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}

/** Median of every number over the runs; booleans and counters take the worst run. */
export function aggregate (runs) {
  const out = { runs: runs.length }
  for (const key of Object.keys(runs[0])) {
    if (key === 'window') continue
    const values = runs.map(r => r[key])
    const first = values[0]
    if (typeof first === 'number') out[key] = median(values)
    else if (key === 'complete') out[key] = values.every(Boolean)
    else if (key === 'bufferFull') out[key] = values.some(v => v === true) ? true : first
    else if (first !== null && typeof first === 'object') {
      out[key] = {}
      for (const k of Object.keys(first)) out[key][k] = Math.max(...values.map(v => v[k] ?? 0))
    } else out[key] = first
  }
  for (const key of ['dropped', 'failedPuts', 'stalls', 'drains']) {
    if (typeof out[key] === 'number') out[key] = Math.max(...runs.map(r => r[key] ?? 0))
  }
  return out
}
