import { classify, describe } from '../../cloudwatch/errors.js'

/** A reason to stop reading, worded for people: the CLI prints it and exits 1. */
export class TailError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'TailError'
  }
}

export type TailOperation = 'FilterLogEvents' | 'StartLiveTail' | 'DescribeLogGroups'

/** What a failed call's message needs to say where it failed. */
export interface CallContext {
  operation: TailOperation
  /** The group (or groups) read, as given. */
  group: string
  /** Where the client sends its calls: `region us-east-1`, or the endpoint's URL. */
  where: string
  /** Set when --filter was given: an invalid pattern is the likely cause of InvalidParameterException. */
  filter?: string
}

/** Throttling, 5xx, no answer, a dropped connection: the same call may work a moment later. */
export function isRetryable (err: unknown): boolean {
  const failure = classify(err)
  return failure === 'overload' || failure === 'transient'
}

const PERMISSION_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation'])

/** Why a call failed for good, naming what to fix: the group, the IAM action, the credentials, the pattern. */
export function explain (err: unknown, context: CallContext): string {
  const { code, message } = describe(err)
  const { operation, group, where } = context
  const failure = classify(err)
  if (failure === 'missing-group') return `log group ${group} does not exist (${where})`
  if (failure === 'missing-stream') {
    return `a --log-stream-name given does not exist in log group ${group} (${code}: ${message})`
  }
  if (PERMISSION_DENIED.has(code)) {
    return `not allowed to read ${group}: the credentials lack the IAM permission logs:${operation} ` +
      `(${code}: ${message})`
  }
  if (code === 'CredentialsProviderError') return `no AWS credentials found: ${message}`
  if (failure === 'denied') return `the credentials were refused (${where}): ${code}: ${message}`
  if (failure === 'invalid' && context.filter !== undefined) {
    return `CloudWatch refused the request, likely the --filter pattern ${JSON.stringify(context.filter)}: ${message}`
  }
  return `${operation} failed (${where}): ${code}: ${message}`
}
