// What case.js watches during the measured span, besides CPU: memory (this process's RSS and main-thread heap every
// 50 ms, the worker's heap as it reports it), main-thread GC pauses, and how far the worker falls behind.
import { performance, PerformanceObserver } from 'node:perf_hooks'

/** How often RSS and the main thread's heap are read. */
const MEMORY_EVERY_MS = 50

/** RSS and the main thread's heap figures, sampled until stop() (which takes one last sample). */
export function sampleMemory () {
  const rssStart = process.memoryUsage.rss()
  const figures = { rssStart, peakRss: rssStart, main: { heapTotal: 0, heapUsed: 0, arrayBuffers: 0 } }
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > figures.peakRss) figures.peakRss = m.rss
    for (const key of Object.keys(figures.main)) if (m[key] > figures.main[key]) figures.main[key] = m[key]
  }
  const timer = setInterval(sample, MEMORY_EVERY_MS)
  return {
    figures,
    stop () {
      clearInterval(timer)
      sample()
    }
  }
}

/**
 * The peaks of the worker's V8 heap, from the `benchHeap` events bench/heap-report.js posts (only in cases with
 * `heapProbe`: the main thread cannot read a worker's heap). reset() at the start of the measured span.
 */
export function watchWorkerHeap (transport) {
  const peak = { total: 0, used: 0, reports: 0 }
  transport?.on('benchHeap', h => {
    if (h.heapTotal > peak.total) peak.total = h.heapTotal
    if (h.heapUsed > peak.used) {
      peak.used = h.heapUsed
      peak.spacesAtPeak = h.spaces
    }
    peak.reports++
  })
  return {
    peak,
    reset: () => Object.assign(peak, { total: 0, used: 0, reports: 0, spacesAtPeak: undefined })
  }
}

/**
 * Main-thread GC pauses that start between now and endSpan() (entries arrive a tick late, hence stop() apart,
 * after a short wait).
 */
export function watchGc () {
  const figures = { ms: 0, count: 0, max: 0, from: performance.now(), to: Infinity }
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < figures.from || entry.startTime > figures.to) continue
      figures.ms += entry.duration
      figures.count++
      if (entry.duration > figures.max) figures.max = entry.duration
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return {
    figures,
    endSpan: () => { figures.to = performance.now() },
    stop: () => observer.disconnect()
  }
}

/** The largest worker lag seen at sample(): bytes held by the main thread plus unread in the shared buffer. */
export function trackLag (probe) {
  let max = 0
  return {
    probe,
    sample () {
      if (!probe) return
      const lag = probe.held() + probe.unread()
      if (lag > max) max = lag
    },
    get max () { return max }
  }
}
