import { LIMITS } from '../../cloudwatch/limits.js'
import type { TailEvent } from './event.js'

/**
 * Lines logbeam split for size, joined back. logbeam stores a line over the per-event limit as consecutive events
 * of one stream with one timestamp, every part but the last cut at the same size (lib/pipeline/oversize.ts): the
 * limit less the 26 bytes of overhead, or the old 256 KB limit's when an endpoint refused the larger event. A cut
 * backs off up to 3 bytes so that it lands on a UTF-8 character boundary. The parts carry no marker, so a part is
 * recognised by that size, and by not being a JSON line on its own (a pino line cut in two never parses).
 * Pure: the clock is passed in.
 */
const CUT_BYTES = [LIMITS.maxEventBytes - LIMITS.eventOverhead, 262_144 - LIMITS.eventOverhead] as const
const MAX_BACK_OFF = 3

/** True for a message that can be a part of a split line followed by more parts. */
export function isCutPart (message: string): boolean {
  // UTF-16 length bounds the UTF-8 length from below and 3x from above: most messages are ruled out without counting.
  if (message.length * 3 < CUT_BYTES[1] - MAX_BACK_OFF || message.length > CUT_BYTES[0]) return false
  const bytes = Buffer.byteLength(message, 'utf8')
  if (!CUT_BYTES.some(cut => bytes <= cut && bytes >= cut - MAX_BACK_OFF)) return false
  try {
    JSON.parse(message)
    return false
  } catch {
    return true
  }
}

interface Line { event: TailEvent, parts: string[], open: boolean, openedAt: number }

/** Takes events in order and gives them back in the same order, the parts of a split line joined into one. */
export class PartJoiner {
  /** Lines not printed yet, in order; the first open one holds back those after it. */
  readonly #queue: Line[] = []
  /** The open line of each stream, by group and stream. */
  readonly #open = new Map<string, Line>()

  /** The next event; returns the lines now complete, in order. */
  push (event: TailEvent, now: number): TailEvent[] {
    const key = `${event.group}\0${event.stream}`
    const open = this.#open.get(key)
    if (open !== undefined && open.event.timestamp === event.timestamp) {
      open.parts.push(event.message)
      if (!isCutPart(event.message)) this.#close(key, open)
      return this.#drain()
    }
    // A part of the largest size not followed by another: it was whole after all (or its rest was never stored).
    if (open !== undefined) this.#close(key, open)
    const line: Line = { event, parts: [event.message], open: isCutPart(event.message), openedAt: now }
    this.#queue.push(line)
    if (line.open) this.#open.set(key, line)
    return this.#drain()
  }

  /** Closes the lines open since before `before` (all of them by default), and returns what is then complete. */
  flush (before = Infinity): TailEvent[] {
    for (const [key, line] of this.#open) if (line.openedAt < before) this.#close(key, line)
    return this.#drain()
  }

  #close (key: string, line: Line): void {
    line.open = false
    this.#open.delete(key)
  }

  #drain (): TailEvent[] {
    const out: TailEvent[] = []
    while (this.#queue.length > 0 && !this.#queue[0]!.open) {
      const { event, parts } = this.#queue.shift()!
      out.push(parts.length === 1 ? event : { ...event, message: parts.join(''), parts: parts.length })
    }
    return out
  }
}
