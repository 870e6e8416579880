import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { checkClientConfig } from './client-config.js'
import { assumedRole } from './credentials.js'
import { proxyRequestHandler } from './proxy.js'

/**
 * Builds the client from plain settings (checked again here: the CLI and the worker both come through).
 * logbeam retries on its own terms (no give-up while memory allows, its own backoff and timeouts), so
 * the SDK's retries are off unless asked for. The proxy handler and the role's credential provider
 * are made here from plain data, since neither could have crossed into the worker.
 */
export function createClient (settings: object = {}): CloudWatchLogsClient {
  const { proxy, assumeRole, ...config } = checkClientConfig(settings)
  const requestHandler = proxyRequestHandler(proxy)
  const client = new CloudWatchLogsClient({
    maxAttempts: 1,
    ...config,
    ...(requestHandler && { requestHandler }),
    ...(assumeRole && { credentials: assumedRole(assumeRole, config.credentials) })
  })
  // It walks every event of every call to hand a filtered copy to a logger that is a no-op here
  // (a logger cannot cross into the worker): measured at 9-19% of a PutLogEvents call's CPU.
  client.middlewareStack.remove('loggerMiddleware')
  return client
}

/** Whether a region can be found anywhere (the client's setting, AWS_REGION, the profile). */
export async function hasRegion (client: CloudWatchLogsClient): Promise<boolean> {
  try {
    return Boolean(await client.config.region())
  } catch {
    return false
  }
}

/** Fails at start, with a clear message naming the library's option, when no region can be found anywhere. */
export async function checkRegion (client: CloudWatchLogsClient): Promise<void> {
  if (!await hasRegion(client)) {
    throw new Error('logbeam: no AWS region: set the clientConfig.region option or the AWS_REGION environment variable')
  }
}
