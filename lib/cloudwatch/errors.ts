/** What to do about a failed call, decided from the error the SDK threw. */
export type Failure =
  | 'missing-group' // ResourceNotFoundException for the group: create it (when allowed), then retry
  | 'missing-stream' // ResourceNotFoundException for the stream: create it (when allowed), then retry
  | 'invalid' // InvalidParameterException: the batch itself is refused, resending it as is cannot help
  | 'refused' // any other refusal that is not retryable (a proxy's 413, an unknown 4xx): split, never resend as is
  | 'denied' // credentials or permissions refused: retried slowly, they may be fixed while running
  | 'overload' // throttling, 5xx: retried with backoff, and fewer calls in flight
  | 'transient' // network errors, no answer in time (a dropped connection, not a busy service): retried with backoff

const DENIED = new Set([
  'UnrecognizedClientException', 'AccessDeniedException', 'AccessDenied', 'ExpiredTokenException',
  'InvalidSignatureException', 'IncompleteSignature', 'MissingAuthenticationToken', 'InvalidClientTokenId',
  'CredentialsProviderError', 'SignatureDoesNotMatch', 'UnauthorizedOperation'
])

// The SDK's own list of throttling names (LimitExceededException is left out on purpose: CloudWatch uses it for
// "too many log groups", which waiting does not cure, but it is still retried below as transient).
const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'TransactionInProgressException', 'RequestLimitExceeded',
  'BandwidthLimitExceeded', 'RequestThrottled', 'SlowDown', 'PriorRequestNotComplete', 'EC2ThrottledException'
])

/** The HTTP status of a failed call, when there was an answer (also for answers the SDK could not parse). */
export function httpStatus (err: unknown): number | undefined {
  const e = err as { $metadata?: { httpStatusCode?: number }, $response?: { statusCode?: number } } | undefined
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode
}

export function classify (err: unknown): Failure {
  const e = err as { name?: string, message?: string }
  const name = e?.name ?? ''
  if (name === 'ResourceNotFoundException') {
    return /stream/i.test(e.message ?? '') ? 'missing-stream' : 'missing-group'
  }
  if (name === 'InvalidParameterException') return 'invalid'
  if (DENIED.has(name)) return 'denied'
  if (THROTTLING.has(name) || name === 'ServiceUnavailableException') return 'overload'
  const status = httpStatus(err)
  if (status === undefined) return 'transient'
  if (status >= 500 || status === 429) return 'overload'
  // 408 is the server giving up on a slow upload: sending again can work. Other 4xx answers refuse the request
  // itself (a proxy's 413 for a body over its limit, a 400 the SDK cannot name): the same bytes would be refused again.
  if (status >= 400 && status !== 408) return 'refused'
  return 'transient'
}

/** A short, credential-free description of an error for events and stderr. */
export function describe (err: unknown): { code: string, message: string } {
  const e = err as { name?: string, code?: string, message?: string, $metadata?: { httpStatusCode?: number } }
  const code = e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error')
  const status = e?.$metadata?.httpStatusCode
  const message = redact(String(e?.message ?? err)).slice(0, 500)
  return { code, message: status !== undefined && status >= 500 ? `${message} (HTTP ${status})` : message }
}

/**
 * A field that holds a secret: a whole identifier naming one (secretAccessKey, aws_secret_access_key, "SessionToken",
 * X-Amz-Security-Token, X-Amz-Signature, an Authorization header's Credential= and Signature=), then `=` or `:`, then
 * its value. Groups: the name with its separator, the opening quote of the value, the value.
 */
const SECRET_FIELD = /(?<![\w-])([\w-]*(?:secret|session|token|signature|credential|password)[\w-]*(["']?)\s*([:=])\s*(["']?))([^\s"',;&]+)/gi

/**
 * Secrets have digits or base64 symbols (keys, tokens, hex signatures) or are long; the words of a
 * sentence are not.
 */
const SECRET_LIKE = /[0-9/+=]|^.{24}/

/** Removes anything that looks like a secret, should an error message ever carry one. */
export function redact (text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[0-9A-Z]{12,}\b/g, '$1****')
    .replace(/\b(Bearer|Basic) [\w.~+/-]{8,}=*/g, '$1 ****')
    // After `=` or a quote the value is masked whatever it is. After a bare `: ` only when it looks like a secret:
    // that is also how an error prints its name before its message (`ExpiredTokenException: The security token...`,
    // `CredentialsProviderError: Could not load credentials...`), and the words of the message must stay.
    .replace(SECRET_FIELD, (all, field: string, nameQuote: string, sep: string, valueQuote: string, value: string) =>
      sep === '=' || nameQuote !== '' || valueQuote !== '' || SECRET_LIKE.test(value) ? `${field}****` : all)
}
