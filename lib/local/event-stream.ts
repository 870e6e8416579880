// The binary framing of `application/vnd.amazon.eventstream`, the way AWS streams answers such as StartLiveTail's:
// a sequence of messages, each
//
//   total length (uint32) | headers length (uint32) | CRC32 of those 8 bytes (the prelude)
//   headers | payload | CRC32 of everything before it
//
// all big-endian, where each header is: name length (uint8), name (UTF-8), value type (uint8), value. The endpoint
// only writes messages; decoding is here so that tests can read the bytes back on their own. Pure: no I/O.

/** The header value types of the format, by their type byte. */
export const HEADER_TYPE = {
  true: 0,
  false: 1,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  bytes: 6,
  string: 7,
  timestamp: 8,
  uuid: 9
} as const

export type HeaderValue =
  | { type: 'boolean', value: boolean }
  | { type: 'byte' | 'short' | 'integer', value: number }
  | { type: 'long' | 'timestamp', value: bigint }
  | { type: 'bytes', value: Uint8Array }
  | { type: 'string' | 'uuid', value: string }

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>
  payload: Uint8Array
}

const PRELUDE_BYTES = 8
const CRC_BYTES = 4
/** The format's own bounds: a message of at most 16 MiB, headers of at most 128 KiB. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024
const MAX_HEADERS_BYTES = 128 * 1024

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 (IEEE 802.3, the one of zip and gzip), as the format checksums its prelude and messages. */
export function crc32 (bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** A string header, the kind every message of StartLiveTail carries (`:message-type`, `:event-type`, ...). */
export const text = (value: string): HeaderValue => ({ type: 'string', value })

function encodeHeader (name: string, header: HeaderValue): Buffer {
  const key = Buffer.from(name, 'utf8')
  if (key.length === 0 || key.length > 255) throw new RangeError(`header name must be 1 to 255 bytes: ${name}`)
  let value: Buffer
  switch (header.type) {
    case 'boolean':
      value = Buffer.from([header.value ? HEADER_TYPE.true : HEADER_TYPE.false])
      break
    case 'byte':
      value = Buffer.alloc(2)
      value.writeUInt8(HEADER_TYPE.byte)
      value.writeInt8(header.value, 1)
      break
    case 'short':
      value = Buffer.alloc(3)
      value.writeUInt8(HEADER_TYPE.short)
      value.writeInt16BE(header.value, 1)
      break
    case 'integer':
      value = Buffer.alloc(5)
      value.writeUInt8(HEADER_TYPE.integer)
      value.writeInt32BE(header.value, 1)
      break
    case 'long':
    case 'timestamp':
      value = Buffer.alloc(9)
      value.writeUInt8(HEADER_TYPE[header.type])
      value.writeBigInt64BE(header.value, 1)
      break
    case 'bytes':
    case 'string': {
      const data = header.type === 'string' ? Buffer.from(header.value, 'utf8') : Buffer.from(header.value)
      if (data.length > 0xffff) throw new RangeError(`header ${name} is over 65535 bytes`)
      value = Buffer.alloc(3 + data.length)
      value.writeUInt8(HEADER_TYPE[header.type])
      value.writeUInt16BE(data.length, 1)
      data.copy(value, 3)
      break
    }
    case 'uuid': {
      const hex = header.value.replaceAll('-', '')
      if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`header ${name} is not a UUID`)
      value = Buffer.concat([Buffer.from([HEADER_TYPE.uuid]), Buffer.from(hex, 'hex')])
      break
    }
  }
  return Buffer.concat([Buffer.from([key.length]), key, value])
}

/** One message, framed and checksummed. */
export function encodeMessage (message: EventStreamMessage): Buffer {
  const headers = Buffer.concat(Object.entries(message.headers).map(([name, value]) => encodeHeader(name, value)))
  if (headers.length > MAX_HEADERS_BYTES) {
    throw new RangeError(`headers of ${headers.length} bytes exceed ${MAX_HEADERS_BYTES}`)
  }
  const total = PRELUDE_BYTES + CRC_BYTES + headers.length + message.payload.length + CRC_BYTES
  if (total > MAX_MESSAGE_BYTES) throw new RangeError(`a message of ${total} bytes exceeds ${MAX_MESSAGE_BYTES}`)
  const out = Buffer.alloc(total)
  out.writeUInt32BE(total, 0)
  out.writeUInt32BE(headers.length, 4)
  out.writeUInt32BE(crc32(out, 0, PRELUDE_BYTES), 8)
  headers.copy(out, PRELUDE_BYTES + CRC_BYTES)
  out.set(message.payload, PRELUDE_BYTES + CRC_BYTES + headers.length)
  out.writeUInt32BE(crc32(out, 0, total - CRC_BYTES), total - CRC_BYTES)
  return out
}

function decodeHeaders (bytes: Buffer): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {}
  let at = 0
  while (at < bytes.length) {
    const nameLength = bytes.readUInt8(at)
    const name = bytes.toString('utf8', at + 1, at + 1 + nameLength)
    at += 1 + nameLength
    const type = bytes.readUInt8(at++)
    switch (type) {
      case HEADER_TYPE.true:
      case HEADER_TYPE.false:
        headers[name] = { type: 'boolean', value: type === HEADER_TYPE.true }
        break
      case HEADER_TYPE.byte:
        headers[name] = { type: 'byte', value: bytes.readInt8(at) }
        at += 1
        break
      case HEADER_TYPE.short:
        headers[name] = { type: 'short', value: bytes.readInt16BE(at) }
        at += 2
        break
      case HEADER_TYPE.integer:
        headers[name] = { type: 'integer', value: bytes.readInt32BE(at) }
        at += 4
        break
      case HEADER_TYPE.long:
      case HEADER_TYPE.timestamp:
        headers[name] = { type: type === HEADER_TYPE.long ? 'long' : 'timestamp', value: bytes.readBigInt64BE(at) }
        at += 8
        break
      case HEADER_TYPE.bytes:
      case HEADER_TYPE.string: {
        const length = bytes.readUInt16BE(at)
        const data = bytes.subarray(at + 2, at + 2 + length)
        headers[name] = type === HEADER_TYPE.string
          ? { type: 'string', value: data.toString('utf8') }
          : { type: 'bytes', value: new Uint8Array(data) }
        at += 2 + length
        break
      }
      case HEADER_TYPE.uuid: {
        const hex = bytes.toString('hex', at, at + 16)
        const value = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-')
        headers[name] = { type: 'uuid', value }
        at += 16
        break
      }
      default:
        throw new Error(`unknown header value type ${type} for ${name}`)
    }
  }
  return headers
}

/**
 * Reads the messages from the bytes of a stream, checking both checksums; `rest` holds the bytes of a message that
 * has not fully arrived yet (prepend them to the next chunk).
 */
export function decodeMessages (bytes: Buffer): { messages: EventStreamMessage[], rest: Buffer } {
  const messages: EventStreamMessage[] = []
  let at = 0
  while (bytes.length - at >= PRELUDE_BYTES + CRC_BYTES) {
    const total = bytes.readUInt32BE(at)
    const headersLength = bytes.readUInt32BE(at + 4)
    if (bytes.readUInt32BE(at + 8) !== crc32(bytes, at, at + PRELUDE_BYTES)) {
      throw new Error('prelude checksum mismatch')
    }
    if (total < PRELUDE_BYTES + 2 * CRC_BYTES + headersLength) throw new Error(`bad message length ${total}`)
    if (bytes.length - at < total) break
    if (bytes.readUInt32BE(at + total - CRC_BYTES) !== crc32(bytes, at, at + total - CRC_BYTES)) {
      throw new Error('message checksum mismatch')
    }
    const headersStart = at + PRELUDE_BYTES + CRC_BYTES
    const payloadStart = headersStart + headersLength
    messages.push({
      headers: decodeHeaders(bytes.subarray(headersStart, payloadStart)),
      payload: new Uint8Array(bytes.subarray(payloadStart, at + total - CRC_BYTES))
    })
    at += total
  }
  return { messages, rest: bytes.subarray(at) }
}
