// The `entity` of a PutLogEvents call: the service or resource its events are about, which CloudWatch's "Explore
// related" joins on. A bad entity never fails the call: the events are stored without it, and the answer's
// `rejectedEntityInfo.errorType` says what was wrong ("When the entity is rejected, the events may still be accepted",
// PutLogEventsResponse in the API reference).
//
// Sources: the API reference's Entity type (counts and lengths); the CloudWatch user guide, "How to add related
// information to custom telemetry" (the five Types); the Application Signals API reference, ServiceSummary (Name goes
// with the service Types, ResourceType and Identifier with the resource Types); the CloudWatch agent, whose log
// entities are Type Service with Name, Environment and AwsAccountId. None says which other Type needs Environment:
// only Service is held to it.
import { ServiceError } from './rules.js'
import { ENTITY } from '../cloudwatch/rules.js'

/** Every `errorType` of `rejectedEntityInfo`, as the SDK's EntityRejectionErrorType lists them. */
export const ENTITY_REJECTIONS = [
  'InvalidEntity', 'InvalidTypeValue', 'InvalidKeyAttributes', 'InvalidAttributes', 'EntitySizeTooLarge',
  'UnsupportedLogGroupType', 'MissingRequiredFields'
] as const

export type EntityRejection = typeof ENTITY_REJECTIONS[number]

/** An accepted entity, as stored with the events it came with. Frozen: a reader cannot change what was stored. */
export interface StoredEntity {
  readonly keyAttributes: Readonly<Record<string, string>>
  readonly attributes?: Readonly<Record<string, string>>
}

/** Lengths count characters (code points), as the service's length constraints do. */
export const ENTITY_LIMITS = { keyAttributes: ENTITY.keyAttributes, attributes: ENTITY.attributes } as const

export const KEY_ATTRIBUTE_NAMES = ENTITY.keyAttributeNames

/**
 * Each Type and its key attributes besides Type: those it needs and those it may add. A name identifies a service
 * (Name) or a resource (ResourceType and Identifier), never both; a Service is also known by where it runs.
 */
export const ENTITY_TYPES: Readonly<Record<string, { required: readonly string[], optional: readonly string[] }>> = {
  Service: { required: ['Name', 'Environment'], optional: ['AwsAccountId'] },
  RemoteService: { required: ['Name'], optional: ['Environment', 'AwsAccountId'] },
  'AWS::Service': { required: ['Name'], optional: ['Environment', 'AwsAccountId'] },
  Resource: { required: ['ResourceType', 'Identifier'], optional: ['Environment', 'AwsAccountId'] },
  'AWS::Resource': { required: ['ResourceType', 'Identifier'], optional: ['Environment', 'AwsAccountId'] }
}

const ACCOUNT_ID = /^\d{12}$/

/** What becomes of a request's entity: nothing was sent, it is kept, or it is refused for a reason. */
export type EntityVerdict =
  | { sent: false }
  | { sent: true, entity: StoredEntity }
  | { sent: true, rejected: EntityRejection }

/**
 * The verdict on a PutLogEvents `entity`. Only a value of the wrong JSON type fails the call (SerializationException,
 * as for any member); every other problem is a rejection. `EntitySizeTooLarge` and `UnsupportedLogGroupType` have no
 * documented rule and are never decided here: `forced` (a fault) refuses any entity sent with the type it names.
 */
export function checkEntity (value: unknown, forced: EntityRejection | null = null): EntityVerdict {
  if (value === undefined || value === null) return { sent: false }
  if (typeof value !== 'object' || Array.isArray(value)) throw unexpectedType('entity', 'structure')
  const given = value as Record<string, unknown>
  const keyAttributes = stringMap(given.keyAttributes, 'entity.keyAttributes')
  const attributes = stringMap(given.attributes, 'entity.attributes')
  if (forced !== null) return { sent: true, rejected: forced }
  if (keyAttributes === undefined) return { sent: true, rejected: 'InvalidEntity' }
  const rejected = keyAttributesProblem(keyAttributes) ?? attributesProblem(attributes)
  if (rejected !== undefined) return { sent: true, rejected }
  const entity: StoredEntity = attributes === undefined
    ? { keyAttributes: Object.freeze({ ...keyAttributes }) }
    : { keyAttributes: Object.freeze({ ...keyAttributes }), attributes: Object.freeze({ ...attributes }) }
  return { sent: true, entity: Object.freeze(entity) }
}

/** In order: the map's size and names, then the Type, then what that Type needs and allows. */
function keyAttributesProblem (keys: Record<string, string>): EntityRejection | undefined {
  const { minEntries, maxEntries, valueMaxLength } = ENTITY_LIMITS.keyAttributes
  const names = Object.keys(keys)
  if (names.length < minEntries || names.length > maxEntries) return 'InvalidKeyAttributes'
  for (const name of names) {
    // Every allowed name is within keyMaxLength, so the name check covers the key length too.
    if (!(KEY_ATTRIBUTE_NAMES as readonly string[]).includes(name)) return 'InvalidKeyAttributes'
    if (!lengthWithin(keys[name]!, 1, valueMaxLength)) return 'InvalidKeyAttributes'
  }
  if (!Object.hasOwn(keys, 'Type')) return 'MissingRequiredFields'
  const rule = Object.hasOwn(ENTITY_TYPES, keys.Type!) ? ENTITY_TYPES[keys.Type!] : undefined
  if (rule === undefined) return 'InvalidTypeValue'
  if (rule.required.some((name) => !Object.hasOwn(keys, name))) return 'MissingRequiredFields'
  if (names.some((name) => name !== 'Type' && !rule.required.includes(name) && !rule.optional.includes(name))) {
    return 'InvalidKeyAttributes'
  }
  if (Object.hasOwn(keys, 'AwsAccountId') && !ACCOUNT_ID.test(keys.AwsAccountId!)) return 'InvalidKeyAttributes'
  return undefined
}

function attributesProblem (attributes: Record<string, string> | undefined): EntityRejection | undefined {
  if (attributes === undefined) return undefined
  const { maxEntries, keyMaxLength, valueMaxLength } = ENTITY_LIMITS.attributes
  const entries = Object.entries(attributes)
  if (entries.length > maxEntries) return 'InvalidAttributes'
  for (const [key, value] of entries) {
    if (!lengthWithin(key, 1, keyMaxLength) || !lengthWithin(value, 1, valueMaxLength)) return 'InvalidAttributes'
  }
  return undefined
}

/** A string-to-string map of the request, or undefined when absent; any other JSON type fails the call. */
function stringMap (value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw unexpectedType(field, 'map')
  for (const member of Object.values(value)) {
    if (typeof member !== 'string') throw unexpectedType(field, 'map of strings')
  }
  return value as Record<string, string>
}

function unexpectedType (field: string, expected: string): ServiceError {
  return new ServiceError('SerializationException', `Unexpected value type for '${field}': expected ${expected}`)
}

/** Counted in code points; UTF-16 units are never fewer, so only a long value needs counting. */
function lengthWithin (text: string, min: number, max: number): boolean {
  if (text.length < min) return false
  return text.length <= max || [...text].length <= max
}
