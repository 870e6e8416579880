// Batches as the bytes they are sent as. Built from events once, when the packer seals them; taken apart again only
// on the rare paths that need single events (a refused call is halved, a batch waited past the time window, a spool
// file is read back).
import { eventSize } from '../cloudwatch/limits.js'
import { clampSorted, type TimeWindow } from '../cloudwatch/time-window.js'
import type { Batch, BodyFrame, LogEvent, Target } from './batch.js'

/** What a queued batch holds besides its bytes: the batch and Buffer objects and the backing store's bookkeeping. */
export const BATCH_MEMORY = 256

/** Memory a sealed batch holds. */
export function batchMemory (batch: Batch): number {
  return (batch.body?.bytes.length ?? batch.data.length) + BATCH_MEMORY
}

/**
 * What goes around the events in a PutLogEvents body: the keys in the order the SDK writes them, absent ones left out
 * as it does. A sequence token is only for the old endpoints that still ask for one.
 */
export function bodyFrame (target: Target, entity?: object, sequenceToken?: string): BodyFrame {
  const token = sequenceToken === undefined ? '' : `,"sequenceToken":${JSON.stringify(sequenceToken)}`
  return {
    head: `{"logGroupName":${JSON.stringify(target.logGroupName)},` +
      `"logStreamName":${JSON.stringify(target.logStreamName)},"logEvents":`,
    tail: `${token}${entity === undefined ? '' : `,"entity":${JSON.stringify(entity)}`}}`
  }
}

/**
 * A batch of sorted events (at least one). `bytes` is their size the service's way, when the caller counted it. With
 * a `frame`, the events are written inside the whole request body, so that a call with those names sends it as is.
 */
export function encodeBatch (events: readonly LogEvent[], openedAt: number, bytes = serviceBytes(events),
  frame?: BodyFrame): Batch {
  // One JSON.stringify over plain { timestamp, message } objects. Encoding event by event measured no better (from
  // 13% faster to 80% slower across Node 20-26), and escaping the UTF-8 bytes in a loop slower on every version.
  const json = JSON.stringify(events)
  const first = events[0]!.timestamp
  const last = events[events.length - 1]!.timestamp
  if (frame === undefined) return { data: Buffer.from(json, 'utf8'), count: events.length, bytes, first, last, openedAt }
  const head = Buffer.byteLength(frame.head)
  const length = Buffer.byteLength(json)
  const body = Buffer.allocUnsafeSlow(head + length + Buffer.byteLength(frame.tail))
  body.write(frame.head, 0)
  body.write(json, head)
  body.write(frame.tail, head + length)
  const data = body.subarray(head, head + length)
  return { data, count: events.length, bytes, first, last, openedAt, body: { bytes: body, frame } }
}

/**
 * Gives a batch's memory back at once. Only for a batch never handed to the network (dropped or spooled from the
 * queue, or merged into another before its send): the bytes of one that was sent may still be referenced by a socket
 * it was written to. V8 frees a Buffer's memory only when a full collection finds it dead, so while delivery fails the
 * batches dropped would otherwise pile up outside the heap, past `maxBufferSize`. A body of its own (as sealed) is
 * given back; other batches, and every batch on Node 20 (no ArrayBuffer.prototype.transfer), are left to the collector.
 * The batch is empty afterwards.
 */
export function releaseBatch (batch: Batch): void {
  const own = batch.body?.bytes
  const store = own?.buffer as (ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }) | undefined
  if (own === undefined || store?.transfer === undefined || own.byteLength !== store.byteLength) return
  store.transfer(0)
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
