import t from 'tap'
import { EventStreamCodec } from '@smithy/core/event-streams'
import { crc32, decodeMessages, encodeMessage, text, type EventStreamMessage } from '../../lib/local/event-stream.js'

// The endpoint's event-stream framing, read back by the AWS SDK's own codec and the other way round.

const sdkCodec = new EventStreamCodec(
  (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'),
  (value: string) => new Uint8Array(Buffer.from(value, 'utf8'))
)

const MESSAGE: EventStreamMessage = {
  headers: {
    ':message-type': text('event'),
    ':event-type': text('sessionUpdate'),
    ':content-type': text('application/json'),
    flag: { type: 'boolean', value: true },
    off: { type: 'boolean', value: false },
    small: { type: 'byte', value: -7 },
    short: { type: 'short', value: 1234 },
    count: { type: 'integer', value: 70_000 },
    big: { type: 'long', value: 2n ** 40n },
    raw: { type: 'bytes', value: new Uint8Array([0, 1, 255]) },
    when: { type: 'timestamp', value: 1_700_000_000_000n },
    id: { type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' }
  },
  payload: Buffer.from(JSON.stringify({ sessionResults: [{ message: 'héllo ✓ 日本 🎉' }] }), 'utf8')
}

t.test('CRC-32 is the IEEE one: the check value of "123456789"', async t => {
  t.equal(crc32(Buffer.from('123456789')), 0xcbf43926)
  t.equal(crc32(Buffer.alloc(0)), 0)
})

t.test('a message decodes back to itself, every header type included', async t => {
  const { messages, rest } = decodeMessages(encodeMessage(MESSAGE))
  t.equal(rest.length, 0)
  t.same(messages, [MESSAGE])
})

t.test('the SDK decodes what the endpoint encodes', async t => {
  const decoded = sdkCodec.decode(encodeMessage(MESSAGE))
  t.same(decoded.headers[':event-type'], { type: 'string', value: 'sessionUpdate' })
  t.same(decoded.headers.count, { type: 'integer', value: 70_000 })
  t.same(decoded.headers.flag, { type: 'boolean', value: true })
  t.equal(decoded.headers.id!.value, '123e4567-e89b-12d3-a456-426614174000')
  t.equal(Buffer.from(decoded.body).toString('utf8'), Buffer.from(MESSAGE.payload).toString('utf8'))
})

t.test('the endpoint decodes what the SDK encodes', async t => {
  const bytes = sdkCodec.encode({
    headers: { ':message-type': { type: 'string', value: 'exception' }, ':exception-type': { type: 'string', value: 'SessionTimeoutException' } },
    body: new Uint8Array(Buffer.from('{"message":"timed out"}'))
  })
  const { messages } = decodeMessages(Buffer.from(bytes))
  t.same(messages[0]!.headers, { ':message-type': text('exception'), ':exception-type': text('SessionTimeoutException') })
  t.equal(Buffer.from(messages[0]!.payload).toString('utf8'), '{"message":"timed out"}')
})

t.test('messages cut anywhere come out whole once their last byte is there', async t => {
  const one = encodeMessage(MESSAGE)
  const two = encodeMessage({ headers: { ':event-type': text('sessionStart') }, payload: Buffer.from('{}') })
  const stream = Buffer.concat([one, two])
  for (const cut of [1, 11, 12, one.length - 1, one.length, one.length + 5]) {
    const first = decodeMessages(stream.subarray(0, cut))
    const second = decodeMessages(Buffer.concat([first.rest, stream.subarray(cut)]))
    t.equal(first.messages.length + second.messages.length, 2, `cut at ${cut}`)
    t.equal(second.rest.length, 0)
  }
})

t.test('a flipped bit fails the prelude or the message checksum', async t => {
  const bytes = encodeMessage(MESSAGE)
  const prelude = Buffer.from(bytes)
  prelude[5]! ^= 1
  t.throws(() => decodeMessages(prelude), /prelude checksum mismatch/)
  const body = Buffer.from(bytes)
  body[body.length - 10]! ^= 1
  t.throws(() => decodeMessages(body), /message checksum mismatch/)
})
