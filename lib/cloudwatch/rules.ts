// What CloudWatch Logs accepts besides PutLogEvents' limits (those are in limits.ts): names, retention values,
// log group classes and tags. The options check them at start and the local endpoint enforces them, from here.

/** The values PutRetentionPolicy accepts, in days, in the order the service lists them. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
] as const

/** Classes CreateLogGroup accepts; fixed at creation. The service's default is the first. */
export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const

/** Log group names: 1 to 512 of these characters; creating one under `aws/` is refused (reserved for AWS). */
export const LOG_GROUP_NAME = {
  maxLength: 512,
  characters: /^[.\-_/#A-Za-z0-9]+$/,
  reservedPrefix: 'aws/'
} as const

/** Log stream names: 1 to 512 characters, none of them `:` or `*`. */
export const LOG_STREAM_NAME = {
  maxLength: 512,
  forbidden: /[:*]/
} as const

/** Tags of a log group: CreateLogGroup refuses the whole call when one breaks these. */
export const TAGS = {
  maxCount: 50,
  maxKeyLength: 128,
  maxValueLength: 256,
  /** Letters, digits, spaces and `_ . : / = + - @`, in any script. */
  text: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  /** Keys under `aws:` are reserved for AWS. */
  reservedKeyPrefix: 'aws:'
} as const

/** True when the service accepts `name` as a log group name (creating one under `aws/` aside). */
export function isLogGroupName (name: string): boolean {
  return name.length >= 1 && name.length <= LOG_GROUP_NAME.maxLength && LOG_GROUP_NAME.characters.test(name)
}

/** The tag rules in words, for messages and docs. */
export const TAG_TEXT = 'letters, digits, spaces or _ . : / = + - @'

/** Why the service would refuse these tags, or undefined when it would take them. */
export function tagsProblem (tags: Record<string, unknown>): string | undefined {
  const entries = Object.entries(tags)
  if (entries.length > TAGS.maxCount) return `at most ${TAGS.maxCount} tags, got ${entries.length}`
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > TAGS.maxKeyLength || !TAGS.text.test(key) ||
        key.toLowerCase().startsWith(TAGS.reservedKeyPrefix)) {
      return `key ${JSON.stringify(key)}: expected 1 to ${TAGS.maxKeyLength} ${TAG_TEXT}, ` +
        `not starting with '${TAGS.reservedKeyPrefix}'`
    }
    if (typeof value !== 'string' || value.length > TAGS.maxValueLength || !TAGS.text.test(value)) {
      return `value of ${JSON.stringify(key)}: expected a string of at most ${TAGS.maxValueLength} ${TAG_TEXT}, ` +
        `got ${JSON.stringify(value)}`
    }
  }
  return undefined
}

/**
 * A KMS key for CreateLogGroup: "the ARN of the KMS key" (API reference), at most 256 characters. The options ask for
 * a key ARN, as documented; the local endpoint also lets an alias ARN through (lib/local/group-settings.ts), since
 * nothing documents that the service refuses one.
 */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/
export const KMS_KEY_ID_MAX_LENGTH = 256

/**
 * The entity sent with PutLogEvents (CloudWatch's "Explore related"): its key attributes name it, its attributes add
 * to it. Lengths count characters (code points), as the service's length constraints do.
 */
export const ENTITY = {
  keyAttributeNames: ['Type', 'ResourceType', 'Identifier', 'Name', 'Environment', 'AwsAccountId'],
  keyAttributes: { minEntries: 2, maxEntries: 4, keyMaxLength: 32, valueMaxLength: 512 },
  attributes: { minEntries: 0, maxEntries: 10, keyMaxLength: 256, valueMaxLength: 512 }
} as const

/** Characters of a string as the service counts them. */
const characters = (text: string): number => Array.from(text).length

/**
 * Why the service would not take `entity` at all, or undefined; `at` names the setting at fault. Which key
 * attributes each Type needs is left to the service (it stores the events anyway and says why in
 * rejectedEntityInfo): only the shape is checked here.
 */
export function entityProblem (entity: Record<string, unknown>): { at: string, reason: string } | undefined {
  for (const key of Object.keys(entity)) {
    if (key !== 'keyAttributes' && key !== 'attributes') {
      return { at: key, reason: 'unknown setting (an entity has keyAttributes and attributes)' }
    }
  }
  const map = (name: 'keyAttributes' | 'attributes', names?: readonly string[]):
  { at: string, reason: string } | undefined => {
    const value = entity[name]
    const limits = ENTITY[name]
    if (value === undefined && limits.minEntries === 0) return undefined
    const range = `${limits.minEntries} to ${limits.maxEntries}`
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { at: name, reason: `expected an object of ${range} string values, got ${JSON.stringify(value)}` }
    }
    const entries = Object.entries(value)
    if (entries.length < limits.minEntries || entries.length > limits.maxEntries) {
      return { at: name, reason: `expected ${range} entries, got ${entries.length}` }
    }
    for (const [k, v] of entries) {
      if (characters(k) < 1 || characters(k) > limits.keyMaxLength || (names !== undefined && !names.includes(k))) {
        const allowed = names !== undefined ? `one of ${names.join(', ')}` : `1 to ${limits.keyMaxLength} characters`
        return { at: `${name}.${k}`, reason: `expected a key of ${allowed}` }
      }
      if (typeof v !== 'string' || characters(v) < 1 || characters(v) > limits.valueMaxLength) {
        return { at: `${name}.${k}`, reason: `expected 1 to ${limits.valueMaxLength} characters, got ${JSON.stringify(v)}` }
      }
    }
    return undefined
  }
  return map('keyAttributes', ENTITY.keyAttributeNames) ?? map('attributes')
}
