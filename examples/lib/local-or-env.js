// What the examples share: where their logs go, and a look at what CloudWatch Logs stored.
//
// By default a local CloudWatch Logs endpoint (logbeam/local: in memory, the real protocol and the
// real PutLogEvents rules) runs inside the example, so no AWS account is needed. When
// AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) is set (LocalStack, moto, a logbeam-local
// started elsewhere) or --aws is given, the AWS SDK's usual environment decides instead: endpoint,
// AWS_REGION, AWS_PROFILE and the default credentials chain.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from 'logbeam/local'

export const LOG_GROUP = 'logbeam-examples'

const configuredEndpoint = () =>
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS || process.env.AWS_ENDPOINT_URL || undefined

const LOCAL_CREDENTIALS = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }

/**
 * Where an example logs to: `{ logGroupName, logStreamName, clientConfig, env, printStored, runApp, close }`.
 * `printStored(stream)` prints another stream of the group than the example's own.
 * `clientConfig` goes into logbeam's options; `env` is the environment that points a child process's SDK
 * the same way. Each run gets a stream of its own, so a shared group stays readable.
 */
export async function cloudwatch (example) {
  const logGroupName = LOG_GROUP
  const logStreamName = `${example}/${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`
  const useEnvironment = configuredEndpoint() !== undefined || process.argv.includes('--aws') ||
    process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined
  if (useEnvironment) {
    return {
      logGroupName,
      logStreamName,
      clientConfig: {},
      env: {},
      printStored: (stream = logStreamName) => printStored(logGroupName, stream),
      runApp: (moduleUrl) => runApp(moduleUrl, logGroupName, logStreamName, {}),
      close: async () => {}
    }
  }
  const endpoint = await startLocalEndpoint({ port: 0 })
  return {
    logGroupName,
    logStreamName,
    clientConfig: {
      endpoint: endpoint.url,
      region: LOCAL_CREDENTIALS.AWS_REGION,
      credentials: { accessKeyId: LOCAL_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_CREDENTIALS.AWS_SECRET_ACCESS_KEY }
    },
    env: { AWS_ENDPOINT_URL: endpoint.url, ...LOCAL_CREDENTIALS },
    printStored: async (stream = logStreamName) => {
      print(`CloudWatch Logs (the local endpoint at ${endpoint.url})`, logGroupName, stream, endpoint.events(logGroupName, stream))
    },
    runApp: (moduleUrl) => runApp(moduleUrl, logGroupName, logStreamName, { AWS_ENDPOINT_URL: endpoint.url, ...LOCAL_CREDENTIALS }),
    close: () => endpoint.close()
  }
}

/**
 * Runs the example's file again as `node <file> app <group> <stream>`, with an environment that
 * points the SDK where this process logs, and resolves with how it exited: `{ code, signal }`.
 * Used by the examples whose app must exit before its lines can be looked at. (When pino ends a
 * transport it blocks its thread until the worker is done, so an endpoint in that same process
 * could not answer the final upload.)
 */
async function runApp (moduleUrl, logGroupName, logStreamName, env) {
  const app = spawn(process.execPath, [fileURLToPath(moduleUrl), 'app', logGroupName, logStreamName], {
    stdio: 'inherit',
    env: { ...process.env, ...env }
  })
  const [code, signal] = await once(app, 'exit')
  return { code, signal }
}

/** Reads a stream back through the SDK (the environment says where) and prints it. */
export async function printStored (logGroupName, logStreamName) {
  const client = new CloudWatchLogsClient({})
  try {
    let events = []
    // Real CloudWatch Logs can take a moment before stored events can be read back.
    for (let attempt = 0; attempt < 5 && events.length === 0; attempt++) {
      if (attempt > 0) await new Promise(resolve => setTimeout(resolve, 1000))
      events = await readStream(client, logGroupName, logStreamName)
    }
    const where = configuredEndpoint() ?? `AWS, ${await client.config.region()}`
    print(`CloudWatch Logs (${where})`, logGroupName, logStreamName, events)
  } finally {
    client.destroy()
  }
}

async function readStream (client, logGroupName, logStreamName) {
  const events = []
  let nextToken
  for (;;) {
    const page = await client.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken }))
    const found = page.events ?? []
    events.push(...found)
    // The last page is the one that hands back the token it was asked with.
    if (found.length === 0 || page.nextForwardToken === nextToken) return events
    nextToken = page.nextForwardToken
  }
}

function print (where, logGroupName, logStreamName, events) {
  console.log(`\n${where} stored ${events.length} event${events.length === 1 ? '' : 's'}`)
  console.log(`  log group:  ${logGroupName}`)
  console.log(`  log stream: ${logStreamName}`)
  for (const { timestamp, message } of events) {
    console.log(`  ${new Date(timestamp).toISOString()}  ${message}`)
  }
}
