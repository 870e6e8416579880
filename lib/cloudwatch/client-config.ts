import { LogbeamOptionError } from '../option-error.js'

/** A role assumed with STS on top of the credentials found otherwise (the default chain, or `credentials`). */
export interface AssumeRole {
  /** ARN of the role, `arn:aws:iam::123456789012:role/name` (other partitions too). */
  roleArn: string
  /** The external ID the role's trust policy asks for. @default undefined */
  externalId?: string
  /** Session name, seen in CloudTrail (2 to 64 of `\w+=,.@-`). @default the SDK's, `aws-sdk-js-<time>` */
  roleSessionName?: string
  /** Lifetime of the credentials in seconds (900 to 43200); the SDK renews them before they expire. @default 3600 */
  durationSeconds?: number
}

/** Static credentials; prefer the default chain (environment, profile, SSO, role) where you can. */
export interface StaticCredentials { accessKeyId: string, secretAccessKey: string, sessionToken?: string }

/**
 * Client settings for CloudWatch Logs. They cross into the worker thread by structured clone, so
 * only plain data is allowed here (no credential providers or handlers): the worker builds those
 * from it. Without any of them the SDK's standard environment (AWS_REGION, AWS_ENDPOINT_URL,
 * AWS_PROFILE, the default credentials chain) and HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply.
 */
export interface ClientConfig {
  /** Region name, e.g. `eu-west-1`. @default AWS_REGION, then the profile */
  region?: string
  /**
   * Endpoint URL (http or https), e.g. a local emulator.
   * @default AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, AWS_ENDPOINT_URL, then the region's
   */
  endpoint?: string
  /** Profile of the shared config and credentials files. @default AWS_PROFILE, then `default` */
  profile?: string
  /** Attempts the SDK makes per call before logbeam's own retries take over (a whole number >= 1). @default 1 */
  maxAttempts?: number
  useFipsEndpoint?: boolean
  useDualstackEndpoint?: boolean
  credentials?: StaticCredentials
  /**
   * Proxy URL (`http://host:port`, `https://...`, with `user:pass@` if the proxy asks) for every request of
   * the client, whatever NO_PROXY says. @default HTTPS_PROXY / HTTP_PROXY, with NO_PROXY, per request
   */
  proxy?: string
  /** Assume this role (STS AssumeRole) with the credentials found otherwise. @default undefined */
  assumeRole?: AssumeRole
}

/** The error names the setting as a path: `logbeam: invalid option clientConfig.region: ...`. */
class ClientConfigError extends LogbeamOptionError {
  constructor (setting: string, reason: string) {
    super(setting ? `clientConfig.${setting}` : 'clientConfig', reason)
  }
}

type Check = (value: unknown, name: string) => void

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Values are echoed only where they cannot be secrets. */
const show = (value: unknown): string => JSON.stringify(value) ?? String(value)

const string = (min = 1, max = Infinity, pattern?: RegExp, what = 'a string'): Check => (value, name) => {
  if (typeof value !== 'string' || value.length < min || value.length > max || (pattern && !pattern.test(value))) {
    throw new ClientConfigError(name, `expected ${what}, got ${show(value)}`)
  }
}

/** Never echoed: it is part of the credentials. */
const secret: Check = (value, name) => {
  if (typeof value !== 'string' || value === '') {
    throw new ClientConfigError(name, `expected a non-empty string, got ${typeof value}`)
  }
}

const boolean: Check = (value, name) => {
  if (typeof value !== 'boolean') throw new ClientConfigError(name, `expected true or false, got ${show(value)}`)
}

const integer = (min: number, max: number): Check => (value, name) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ClientConfigError(name, `expected a whole number from ${min} to ${max}, got ${show(value)}`)
  }
}

/** A proxy URL may hold a password: its text is never echoed. */
const url = (what: string, echo: boolean): Check => (value, name) => {
  let protocol: string | undefined
  try { protocol = typeof value === 'string' ? new URL(value).protocol : undefined } catch { /* not a URL */ }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ClientConfigError(name, `expected ${what} (http:// or https://)${echo ? `, got ${show(value)}` : ''}`)
  }
}

const object = (fields: Record<string, Check>, required: string[] = []): Check => (value, name) => {
  if (!isObject(value)) throw new ClientConfigError(name, `expected an object with ${Object.keys(fields).join(', ')}`)
  for (const key of Object.keys(value)) {
    // The SDK marks credential objects it has used (`$source`): a user's object may carry such a key.
    if (key.startsWith('$')) continue
    if (!(key in fields)) {
      throw new ClientConfigError(`${name}.${key}`, `unknown setting (known: ${Object.keys(fields).join(', ')})`)
    }
  }
  for (const key of required) {
    if (value[key] === undefined) throw new ClientConfigError(`${name}.${key}`, 'required')
  }
  for (const [key, check] of Object.entries(fields)) {
    if (value[key] !== undefined) check(value[key], `${name}.${key}`)
  }
}

// Partition prefixes vary (us, eu, cn, us-gov, us-isob, eusc-de, ...): the shape is checked, not a list
// that a new region would outdate.
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/

const FIELDS: Record<string, Check> = {
  region: string(1, 64, REGION, 'a region name such as eu-west-1'),
  endpoint: url('a URL', true),
  profile: string(1, 256, undefined, 'a profile name'),
  maxAttempts: integer(1, 100),
  useFipsEndpoint: boolean,
  useDualstackEndpoint: boolean,
  credentials: object({ accessKeyId: secret, secretAccessKey: secret, sessionToken: secret },
    ['accessKeyId', 'secretAccessKey']),
  proxy: url('a proxy URL', false),
  assumeRole: object({
    roleArn: string(1, 2048, ROLE_ARN, 'a role ARN such as arn:aws:iam::123456789012:role/name'),
    externalId: string(2, 1224, /^[\w+=,.@:/-]+$/, '2 to 1224 of letters, digits and _+=,.@:/-'),
    roleSessionName: string(2, 64, /^[\w+=,.@-]+$/, '2 to 64 of letters, digits and _+=,.@-'),
    durationSeconds: integer(900, 43_200)
  }, ['roleArn'])
}

/**
 * Checks the client settings at start, so a typo (`regoin`) or a wrong shape fails naming the
 * setting, instead of every call failing until exit. Never echoes a secret or a proxy URL.
 */
export function checkClientConfig (value: unknown): ClientConfig {
  if (value === undefined) return {}
  if (!isObject(value)) throw new ClientConfigError('', `expected an object of client settings, got ${show(value)}`)
  for (const key of Object.keys(value)) {
    if (!(key in FIELDS)) throw new ClientConfigError(key, `unknown setting (known: ${Object.keys(FIELDS).join(', ')})`)
  }
  for (const [key, check] of Object.entries(FIELDS)) {
    if (value[key] !== undefined) check(value[key], key)
  }
  return value as ClientConfig
}
