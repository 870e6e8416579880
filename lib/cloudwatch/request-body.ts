// The PutLogEvents request body, built by logbeam and handed to the SDK finished.
//
// The SDK's serializer copies every event into a new object, then stringifies the whole request. logbeam's batches
// are already the `logEvents` array as UTF-8 JSON (encoded once, when sealed), so the body is that array with the
// names around it: a copy, not an encoding. The SDK still resolves credentials, signs (over these bytes), sends and
// parses the answer: only the body is ours.
import type { Entity, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import type { Batch, Target } from '../pipeline/batch.js'
import { bodyFrame, decodeEvents } from '../pipeline/encoded-batch.js'

/** The body, as UTF-8 bytes: the batch's own when it was sealed inside this frame, else its bytes framed. */
export function putLogEventsBody (target: Target, batch: Batch, sequenceToken?: string, entity?: Entity): Buffer {
  const { head, tail } = bodyFrame(target, entity, sequenceToken)
  const own = batch.body
  if (own !== undefined && own.frame.head === head && own.frame.tail === tail) return own.bytes
  return Buffer.concat([Buffer.from(head, 'utf8'), batch.data, Buffer.from(tail, 'utf8')])
}

/**
 * The command for one batch, its body already built. The command's input says what it asks for, events included, as
 * for any PutLogEventsCommand (a client double in a test, or the SDK's logger, may read them); they are decoded from
 * the batch only if something reads them.
 */
export function putLogEventsCommand (Command: typeof PutLogEventsCommand, target: Target, batch: Batch, body: Buffer,
  sequenceToken: string | undefined, entity: Entity | undefined): PutLogEventsCommand {
  const input = { ...target, sequenceToken, entity } as ConstructorParameters<typeof PutLogEventsCommand>[0]
  let events: ReturnType<typeof decodeEvents> | undefined
  Object.defineProperty(input, 'logEvents', { enumerable: true, get: () => (events ??= decodeEvents(batch)) })
  return withBody(new Command(input), body)
}

interface SerializedRequest { body: unknown, headers: Record<string, string> }

/**
 * Has the SDK send `body` for this command. The command keeps its events as input (what it asks for stays readable),
 * but the SDK's serializer is handed none of them (an initialize-step middleware empties the list it sees), and a
 * serialize-step middleware of low priority, which runs after the serializer built the request, puts the body in
 * place before the request is signed.
 */
export function withBody (command: PutLogEventsCommand, body: Buffer): PutLogEventsCommand {
  command.middlewareStack.add(next => async args => {
    // Rebuilt key by key: spreading the input would read (and decode) the events.
    const { logGroupName, logStreamName, sequenceToken, entity } = args.input as PutLogEventsCommand['input']
    return next({ ...args, input: { logGroupName, logStreamName, sequenceToken, entity, logEvents: [] } })
  }, { step: 'initialize', priority: 'low', name: 'logbeamNoEventsToSerialize' })
  command.middlewareStack.add(next => async args => {
    const request = args.request as SerializedRequest
    request.body = body
    request.headers['content-length'] = String(body.length)
    return next(args)
  }, { step: 'serialize', priority: 'low', name: 'logbeamRequestBody' })
  return command
}
