// A group's encryption key and its deletion protection: what CreateLogGroup and PutLogGroupDeletionProtection accept,
// and what deleting a protected group answers.
import { ServiceError, constraintMessage } from './rules.js'
import { KMS_KEY_ID_MAX_LENGTH as KMS_KEY_ID_MAX } from '../cloudwatch/rules.js'

/**
 * A KMS key ARN, or a KMS alias ARN: partition `aws` or `aws-…`, a region, a 12-digit account. A bare key ID or
 * alias name is not an ARN: the service answers such a value InvalidParameterException "The specified KMS Key Id could
 * not be found." (seen with key IDs in hashicorp/terraform#24194). Nothing here can tell whether the key exists.
 */
const KMS_ARN =
  /^arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:(?:key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/

export function checkKmsKeyId (kmsKeyId: string | undefined): string | undefined {
  if (kmsKeyId === undefined) return undefined
  if (kmsKeyId.length > KMS_KEY_ID_MAX) {
    return constraintMessage(kmsKeyId, 'kmsKeyId', `have length less than or equal to ${KMS_KEY_ID_MAX}`)
  }
  if (KMS_ARN.test(kmsKeyId)) return undefined
  return 'The specified KMS Key Id could not be found. kmsKeyId must be the ARN of a KMS key ' +
    `(arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID, or :alias/NAME), got '${kmsKeyId}'.`
}

/**
 * Deleting a protected group: the user guide ("Protecting log groups from deletion") names ValidationException and
 * this message, and DeleteLogGroup's model lists ValidationException among its errors.
 */
export function deletionProtected (): ServiceError {
  return new ServiceError('ValidationException',
    'Cannot delete log group with deletion protection enabled. Disable deletion protection first.')
}
