import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { ServiceError } from './rules.js'

/**
 * A SigV4 signature covers the body through its SHA-256, which the SDK sends (and signs) as x-amz-content-sha256.
 * The service hashes the body it received: a body other than the one signed fails as a bad signature does. This
 * endpoint checks no signature, but it does check that hash, so a client that changes a body after signing it (or
 * signs one body and sends another) is refused here as it would be by CloudWatch.
 */
export function checkSignedBody (req: IncomingMessage, body: Buffer): ServiceError | undefined {
  const claimed = req.headers['x-amz-content-sha256']
  if (typeof claimed !== 'string' || claimed === 'UNSIGNED-PAYLOAD') return undefined
  if (createHash('sha256').update(body).digest('hex') === claimed.toLowerCase()) return undefined
  return new ServiceError('InvalidSignatureException', 'The request signature we calculated does not match the ' +
    'signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation ' +
    'for details. (The body received does not have the SHA-256 given in x-amz-content-sha256.)')
}
