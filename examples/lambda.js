// An AWS Lambda handler that logs through logbeam and waits for delivery before returning: Lambda
// may freeze the process as soon as the handler returns, and lines still in the buffer would only
// be sent on a later invocation, or never. (Lambda already copies stdout to its own log group;
// logbeam is for sending lines to a group and stream of your choice.)
//
//   node examples/lambda.js          invokes the handler twice against a local endpoint
//   node examples/lambda.js --aws    the same against real CloudWatch Logs (or set AWS_ENDPOINT_URL)
import pino from 'pino'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('lambda')

// Created once per execution environment, outside the handler, and reused by every invocation.
const logger = pino({
  transport: {
    target: 'logbeam',
    options: { logGroupName: cw.logGroupName, logStreamName: cw.logStreamName, clientConfig: cw.clientConfig }
  }
})

export async function handler (event, context) {
  const log = logger.child({ requestId: context.awsRequestId })
  log.info({ name: event.name }, 'invocation started')
  const body = `hello ${event.name}`
  log.info({ body }, 'invocation finished')
  // Resolves once CloudWatch holds every line above.
  await new Promise(resolve => logger.flush(resolve))
  return { statusCode: 200, body }
}

if (process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) {
  console.log(await handler({ name: 'first' }, { awsRequestId: 'request-1' }))
  console.log(await handler({ name: 'second' }, { awsRequestId: 'request-2' }))
  await cw.printStored()
  await cw.close()
}
