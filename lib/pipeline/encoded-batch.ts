// Batches as the bytes they are sent as. Built from events once, when the packer seals them; taken apart again only
// on the rare paths that need single events (a refused call is halved, a batch waited past the time window, a spool
// file is read back).
import { eventSize } from '../cloudwatch/limits.js'
import { clampSorted, type TimeWindow } from '../cloudwatch/time-window.js'
import type { Batch, LogEvent } from './batch.js'

/** What a queued batch holds besides its bytes: the batch and Buffer objects and the backing store's bookkeeping. */
export const BATCH_MEMORY = 256

/** Memory a sealed batch holds. */
export function batchMemory (batch: Batch): number {
  return batch.data.length + BATCH_MEMORY
}

/** A batch of sorted events (at least one). `bytes` is their size the service's way, when the caller counted it. */
export function encodeBatch (events: readonly LogEvent[], openedAt: number, bytes = serviceBytes(events)): Batch {
  // One JSON.stringify over plain { timestamp, message } objects takes V8's fast path: measured cheaper than encoding
  // event by event, on every Node version supported. Keys are in the order the SDK writes them.
  return {
    data: Buffer.from(JSON.stringify(events), 'utf8'),
    count: events.length,
    bytes,
    first: events[0]!.timestamp,
    last: events[events.length - 1]!.timestamp,
    openedAt
  }
}

/** The events of a batch, as objects again. */
export function decodeEvents (batch: Batch): LogEvent[] {
  return JSON.parse(batch.data.toString('utf8')) as LogEvent[]
}

/**
 * Batches of one stream, each later than the one before, as one: the arrays' brackets between them become commas,
 * and no event is encoded again.
 */
export function mergeBatches (batches: readonly Batch[]): Batch {
  if (batches.length === 1) return batches[0]!
  const comma = Buffer.from(',')
  const parts: Buffer[] = []
  let count = 0
  let bytes = 0
  let openedAt = Infinity
  batches.forEach((batch, i) => {
    if (i > 0) parts.push(comma)
    parts.push(batch.data.subarray(i === 0 ? 0 : 1, i === batches.length - 1 ? batch.data.length : -1))
    count += batch.count
    bytes += batch.bytes
    openedAt = Math.min(openedAt, batch.openedAt)
  })
  const first = batches[0]!.first
  return { data: Buffer.concat(parts), count, bytes, first, last: batches[batches.length - 1]!.last, openedAt }
}

/**
 * The batch with its timestamps moved into `window`, and how many moved. Only its ends are looked at when nothing has
 * to move, which is almost always; otherwise it is encoded again.
 */
export function retimed (batch: Batch, window: TimeWindow): { batch: Batch, moved: number } {
  if (batch.first >= window.min && batch.last <= window.max) return { batch, moved: 0 }
  const events = decodeEvents(batch)
  const moved = clampSorted(events, window)
  return { batch: encodeBatch(events, batch.openedAt, batch.bytes), moved }
}

/**
 * Whether one of the events is exactly `message`, by a search of the bytes: inside a JSON string every quote is
 * escaped, so `"message":"…"}` can only match a whole message.
 */
export function holdsMessage (batch: Batch, message: string): boolean {
  return batch.data.includes(`"message":${JSON.stringify(message)}}`)
}

function serviceBytes (events: readonly LogEvent[]): number {
  let bytes = 0
  for (const event of events) bytes += eventSize(event.message)
  return bytes
}
