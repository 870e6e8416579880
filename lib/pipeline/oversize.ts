// Events larger than the service takes in one event. A call holding one fails whole, so such an
// event is split into parts (or truncated) before it reaches a batch; cuts fall on UTF-8
// character boundaries, so each part is valid text and the parts joined give back every byte.

/** Splits `message` into parts of at most `maxBytes` UTF-8 bytes each. */
export function splitMessage (message: string, maxBytes: number): string[] {
  const bytes = Buffer.from(message, 'utf8')
  const parts: string[] = []
  let start = 0
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length)
    // Back off continuation bytes (10xxxxxx) so the cut lands before a character's first byte.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--
    parts.push(bytes.toString('utf8', start, end))
    start = end
  }
  return parts
}

/** Cuts `message` to at most `maxBytes` UTF-8 bytes, ending with a marker that says how much was cut. */
export function truncateMessage (message: string, maxBytes: number): string {
  const bytes = Buffer.from(message, 'utf8')
  const total = bytes.length
  // The marker's length depends on the number it holds: size it for the largest possible cut.
  const marker = (cut: number): string => `…[logbeam: truncated ${cut} of ${total} bytes]`
  const room = maxBytes - Buffer.byteLength(marker(total), 'utf8')
  let end = room
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--
  return bytes.toString('utf8', 0, end) + marker(total - end)
}
