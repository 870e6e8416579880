import { fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import type { AssumeRole, StaticCredentials } from './client-config.js'

/**
 * Credentials of an assumed role, from the SDK's own provider (renewed before they expire). The role is
 * assumed with `base` when given, else with what the CloudWatch client's default chain finds; the STS
 * client inherits that client's region and request handler (so its proxy), and finds its endpoint in
 * AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL like any SDK client.
 */
export function assumedRole (role: AssumeRole,
  base: StaticCredentials | undefined): ReturnType<typeof fromTemporaryCredentials> {
  return fromTemporaryCredentials({
    params: {
      RoleArn: role.roleArn,
      ExternalId: role.externalId,
      RoleSessionName: role.roleSessionName,
      DurationSeconds: role.durationSeconds
    },
    masterCredentials: base
  })
}
