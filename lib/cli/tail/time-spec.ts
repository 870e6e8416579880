/** --since and --until: a time ago (`10m`) or an ISO 8601 date or time. Pure: the clock is passed in. */

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

const AGO = /^(\d{1,9})([smhdw])$/
// Date, or date and time with optional seconds, fraction and offset: what Date.parse reads the same on every Node.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i

/** Epoch ms of `text`, or why it is not a time. A date alone is midnight UTC; a time without an offset is local. */
export function parseTimeSpec (text: string, now: number): number | { problem: string } {
  const trimmed = text.trim()
  if (trimmed === 'now') return now
  const ago = AGO.exec(trimmed)
  if (ago !== null) return now - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]
  if (ISO.test(trimmed)) {
    const at = Date.parse(trimmed.replace(' ', 'T'))
    if (Number.isFinite(at)) return at
  }
  return {
    problem: 'expected a time ago (30s, 10m, 2h, 1d, 1w), now, or an ISO 8601 date or time (2026-12-01T08:00:00Z)'
  }
}
