import t from 'tap'
import {
  EntityRejectionErrorType, PutLogEventsCommand, type CloudWatchLogsClient, type Entity, type InputLogEvent,
  type PutLogEventsCommandOutput
} from '@aws-sdk/client-cloudwatch-logs'
import { ENTITY_REJECTIONS } from '../../lib/local/entity-rules.js'
import { resolveFaultOptions } from '../../lib/local/faults.js'
import { putBody, rawPut, setup } from './helpers.js'

const ACCOUNT = '123456789012'
const SERVICE = { Type: 'Service', Name: 'checkout', Environment: 'prod' }

function putWith (client: CloudWatchLogsClient, entity: Entity | undefined,
  logEvents: InputLogEvent[] = [{ timestamp: Date.now(), message: 'hello' }]): Promise<PutLogEventsCommandOutput> {
  return client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents, entity }))
}

/** The errorType a call with this entity is answered, or 'accepted'; the events are stored either way. */
async function verdict (client: CloudWatchLogsClient, entity: Entity): Promise<string> {
  const res = await putWith(client, entity)
  return res.rejectedEntityInfo?.errorType ?? 'accepted'
}

const entries = (n: number, value = 'v'): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]))

t.test("the endpoint's rejection types are the SDK's EntityRejectionErrorType values", async (t) => {
  t.same([...ENTITY_REJECTIONS].sort(), Object.values(EntityRejectionErrorType).sort())
})

t.test('an accepted entity is kept with its events; the answer has no rejectedEntityInfo', async (t) => {
  const { endpoint, client } = await setup(t)
  const entity = {
    keyAttributes: { ...SERVICE, AwsAccountId: ACCOUNT },
    attributes: { PlatformType: 'AWS::EC2', 'EC2.InstanceId': 'i-0abc' }
  }
  const res = await putWith(client, entity)
  t.equal(res.rejectedEntityInfo, undefined)
  t.match(res.nextSequenceToken, /^\d{56}$/)
  const [stored] = endpoint.events('g', 's')
  t.same(stored?.entity, entity)
  const keys = stored!.entity!.keyAttributes as Record<string, string>
  t.throws(() => { keys.Name = 'changed' }, TypeError, 'stored entities are frozen')
})

t.test('each batch keeps the entity it was sent with; a batch without one has none', async (t) => {
  const { endpoint, client } = await setup(t)
  const now = Date.now()
  await putWith(client, { keyAttributes: SERVICE }, [{ timestamp: now, message: 'a' }])
  await putWith(client, { keyAttributes: { Type: 'RemoteService', Name: 'payments' } }, [{ timestamp: now + 1, message: 'b' }])
  await putWith(client, undefined, [{ timestamp: now - 1, message: 'c' }])
  t.same(endpoint.events('g', 's').map((e) => [e.message, e.entity?.keyAttributes.Name]),
    [['c', undefined], ['a', 'checkout'], ['b', 'payments']])
  t.notOk('entity' in endpoint.events('g', 's')[0]!, 'no entity property on an event sent without one')
})

t.test('every Type is accepted with the key attributes it needs', async (t) => {
  const { client } = await setup(t)
  const valid: Array<Record<string, string>> = [
    { Type: 'Service', Name: 'svc', Environment: 'prod' },
    { Type: 'Service', Name: 'svc', Environment: 'prod', AwsAccountId: ACCOUNT },
    { Type: 'RemoteService', Name: 'db' },
    { Type: 'AWS::Service', Name: 'AWS::S3' },
    { Type: 'Resource', ResourceType: 'Process', Identifier: '4242' },
    { Type: 'AWS::Resource', ResourceType: 'AWS::EC2::Instance', Identifier: 'i-0abc', AwsAccountId: ACCOUNT },
    { Type: 'AWS::Resource', ResourceType: 'AWS::DynamoDB::Table', Identifier: 'orders', Environment: 'prod' }
  ]
  for (const keyAttributes of valid) {
    t.equal(await verdict(client, { keyAttributes }), 'accepted', JSON.stringify(keyAttributes))
  }
})

t.test('keyAttributes: 2 to 4 entries; 1 or 5 are InvalidKeyAttributes', async (t) => {
  const { client } = await setup(t)
  t.equal(await verdict(client, { keyAttributes: { Type: 'RemoteService', Name: 'db' } }), 'accepted')
  t.equal(await verdict(client, { keyAttributes: { ...SERVICE, AwsAccountId: ACCOUNT } }), 'accepted')
  t.equal(await verdict(client, { keyAttributes: { Type: 'RemoteService' } }), 'InvalidKeyAttributes')
  t.equal(await verdict(client, { keyAttributes: { ...SERVICE, AwsAccountId: ACCOUNT, Identifier: 'x' } }), 'InvalidKeyAttributes')
  t.equal(await verdict(client, { keyAttributes: {} }), 'InvalidKeyAttributes')
})

t.test('keyAttributes values: 1 to 512 characters (code points)', async (t) => {
  const { client } = await setup(t)
  const named = (Name: string): Entity => ({ keyAttributes: { Type: 'RemoteService', Name } })
  t.equal(await verdict(client, named('a'.repeat(512))), 'accepted')
  t.equal(await verdict(client, named('😀'.repeat(512))), 'accepted', '512 characters of two UTF-16 units each')
  t.equal(await verdict(client, named('a'.repeat(513))), 'InvalidKeyAttributes')
  t.equal(await verdict(client, named('😀'.repeat(513))), 'InvalidKeyAttributes')
  t.equal(await verdict(client, named('')), 'InvalidKeyAttributes')
})

t.test('keyAttributes: unknown names, names foreign to the Type and a malformed AwsAccountId are InvalidKeyAttributes', async (t) => {
  const { client } = await setup(t)
  const refused: Array<Record<string, string>> = [
    { Type: 'RemoteService', Name: 'db', Team: 'x' },
    { Type: 'RemoteService', name: 'db' },
    { ...SERVICE, Identifier: 'i-0abc' },
    { Type: 'Resource', ResourceType: 'Process', Identifier: '1', Name: 'x' },
    { ...SERVICE, AwsAccountId: '12345678901' },
    { ...SERVICE, AwsAccountId: '1234567890123' }
  ]
  for (const keyAttributes of refused) {
    t.equal(await verdict(client, { keyAttributes }), 'InvalidKeyAttributes', JSON.stringify(keyAttributes))
  }
})

t.test('a missing Type, or one the Type needs, is MissingRequiredFields; an unknown Type is InvalidTypeValue', async (t) => {
  const { client } = await setup(t)
  t.equal(await verdict(client, { keyAttributes: { Name: 'svc', Environment: 'prod' } }), 'MissingRequiredFields')
  t.equal(await verdict(client, { keyAttributes: { Type: 'Service', Name: 'svc' } }), 'MissingRequiredFields')
  t.equal(await verdict(client, { keyAttributes: { Type: 'Resource', ResourceType: 'Process' } }), 'MissingRequiredFields')
  t.equal(await verdict(client, { keyAttributes: { Type: 'AWS::Resource', Identifier: 'i-0abc' } }), 'MissingRequiredFields')
  t.equal(await verdict(client, { keyAttributes: { Type: 'service', Name: 'svc' } }), 'InvalidTypeValue')
  t.equal(await verdict(client, { keyAttributes: { Type: 'Host', Name: 'svc' } }), 'InvalidTypeValue')
})

t.test('an entity without keyAttributes is InvalidEntity', async (t) => {
  const { client } = await setup(t)
  t.equal(await verdict(client, {}), 'InvalidEntity')
  t.equal(await verdict(client, { attributes: { PlatformType: 'Generic' } }), 'InvalidEntity')
})

t.test('attributes: up to 10, keys 1 to 256 characters, values 1 to 512; past that InvalidAttributes', async (t) => {
  const { client } = await setup(t)
  const withAttributes = (attributes: Record<string, string>): Entity => ({ keyAttributes: SERVICE, attributes })
  t.equal(await verdict(client, withAttributes({})), 'accepted')
  t.equal(await verdict(client, withAttributes(entries(10))), 'accepted')
  t.equal(await verdict(client, withAttributes(entries(11))), 'InvalidAttributes')
  t.equal(await verdict(client, withAttributes({ ['k'.repeat(256)]: 'v' })), 'accepted')
  t.equal(await verdict(client, withAttributes({ ['k'.repeat(257)]: 'v' })), 'InvalidAttributes')
  t.equal(await verdict(client, withAttributes({ '': 'v' })), 'InvalidAttributes')
  t.equal(await verdict(client, withAttributes({ k: 'v'.repeat(512) })), 'accepted')
  t.equal(await verdict(client, withAttributes({ k: 'v'.repeat(513) })), 'InvalidAttributes')
  t.equal(await verdict(client, withAttributes({ k: '' })), 'InvalidAttributes')
})

t.test('a rejected entity fails nothing: the events are stored without it, rejected events still reported', async (t) => {
  const { endpoint, client } = await setup(t)
  const now = Date.now()
  const res = await putWith(client, { keyAttributes: { Type: 'Host', Name: 'x' } }, [
    { timestamp: now - 15 * 24 * 3600_000, message: 'too old' },
    { timestamp: now, message: 'kept' }
  ])
  t.same(res.rejectedEntityInfo, { errorType: 'InvalidTypeValue' })
  t.same(res.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 })
  t.same(endpoint.events('g', 's').map((e) => [e.message, e.entity]), [['kept', undefined]])
  t.match(endpoint.calls.at(-1), { operation: 'PutLogEvents', status: 200 })
})

t.test('an entity of the wrong JSON type fails the call with SerializationException', async (t) => {
  const { endpoint } = await setup(t)
  const body = (entity: unknown): string => JSON.stringify({ ...JSON.parse(putBody()) as object, entity })
  const malformed = [
    'Service', [SERVICE], { keyAttributes: 'Service' }, { keyAttributes: { ...SERVICE, Name: 1 } },
    { keyAttributes: SERVICE, attributes: [] }
  ]
  for (const entity of malformed) {
    const answer = await rawPut(endpoint, body(entity))
    t.equal(answer.status, 400, JSON.stringify(entity))
    t.match(JSON.parse(answer.body), { __type: 'SerializationException', message: /Unexpected value type for 'entity/ })
  }
  t.same(endpoint.events('g', 's'), [], 'nothing stored')
})

t.test('the rejectEntity fault refuses any entity sent, with its type, and leaves calls without one alone', async (t) => {
  const { endpoint, client } = await setup(t, { faults: { rejectEntity: 'EntitySizeTooLarge' } })
  const res = await putWith(client, { keyAttributes: SERVICE })
  t.same(res.rejectedEntityInfo, { errorType: 'EntitySizeTooLarge' })
  t.equal((await putWith(client, undefined)).rejectedEntityInfo, undefined)
  endpoint.setFaults({ rejectEntity: 'UnsupportedLogGroupType' })
  const forced = await putWith(client, { keyAttributes: { Type: 'Host' } })
  t.same(forced.rejectedEntityInfo, { errorType: 'UnsupportedLogGroupType' }, 'whatever the entity')
  endpoint.setFaults({})
  t.equal(await verdict(client, { keyAttributes: SERVICE }), 'accepted')
  t.same(endpoint.events('g', 's').map((e) => e.entity?.keyAttributes.Name), [undefined, undefined, undefined, 'checkout'])
  t.throws(() => resolveFaultOptions({ rejectEntity: 'Nope' as never }),
    { name: 'RangeError', message: /faults.rejectEntity must be one of InvalidEntity/ })
})
