import { LIMITS } from './limits.js'

/**
 * The service drops events more than 14 days old (or older than the group's retention) and more
 * than 2 h ahead, and only says so in the response. logbeam never sends such a timestamp: it moves
 * it into the accepted window (the line keeps its own time in its text) and counts it. A margin
 * keeps an event inside the window while its batch waits or is retried.
 */
export const PACK_MARGIN_MS = 10 * 60 * 1000
/** Smaller than the packing margin, so an event moved once is moved again only if it waited that long. */
export const SEND_MARGIN_MS = 60 * 1000

export interface TimeWindow { min: number, max: number }

export function acceptedWindow (now: number, retentionInDays: number | undefined, margin: number): TimeWindow {
  const maxAge = Math.min(LIMITS.maxAgeMs, (retentionInDays ?? Infinity) * 24 * 60 * 60 * 1000)
  return { min: now - maxAge + margin, max: now + LIMITS.maxFutureMs - margin }
}

/** Clamps a timestamp into the window. Clamping is monotonic, so sorted events stay sorted. */
export function clamp (timestamp: number, window: TimeWindow): number {
  return timestamp < window.min ? window.min : timestamp > window.max ? window.max : timestamp
}

/**
 * Moves the timestamps of a sorted batch back inside the window before a (re)send; returns how many
 * moved. Only the ends are looked at when nothing needs to move, which is almost always.
 */
export function clampSorted (events: Array<{ timestamp: number }>, window: TimeWindow): number {
  const n = events.length
  if (n === 0 || (events[0]!.timestamp >= window.min && events[n - 1]!.timestamp <= window.max)) return 0
  let moved = 0
  for (const event of events) {
    const t = clamp(event.timestamp, window)
    if (t !== event.timestamp) {
      event.timestamp = t
      moved++
    }
  }
  return moved
}
