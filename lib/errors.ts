/** What to do about a failed call, decided from the error the SDK threw. */
export type Failure =
  | 'missing-group' // ResourceNotFoundException for the group: create it (when allowed), then retry
  | 'missing-stream' // ResourceNotFoundException for the stream: create it (when allowed), then retry
  | 'invalid' // InvalidParameterException: the batch itself is refused, resending it as is cannot help
  | 'denied' // credentials or permissions refused: retried slowly, they may be fixed while running
  | 'transient' // throttling, 5xx, timeouts, network errors: retried with backoff

const DENIED = new Set([
  'UnrecognizedClientException', 'AccessDeniedException', 'AccessDenied', 'ExpiredTokenException',
  'InvalidSignatureException', 'IncompleteSignature', 'MissingAuthenticationToken', 'InvalidClientTokenId',
  'CredentialsProviderError', 'SignatureDoesNotMatch', 'UnauthorizedOperation'
])

export function classify (err: unknown): Failure {
  const e = err as { name?: string, message?: string }
  const name = e?.name ?? ''
  if (name === 'ResourceNotFoundException') {
    return /stream/i.test(e.message ?? '') ? 'missing-stream' : 'missing-group'
  }
  if (name === 'InvalidParameterException') return 'invalid'
  if (DENIED.has(name)) return 'denied'
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

/** Removes anything that looks like a secret, should an error message ever carry one. */
export function redact (text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[0-9A-Z]{12,}\b/g, '$1****')
    .replace(/((?:secret|session|token|signature|credential)[A-Za-z_]*["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1****')
}
