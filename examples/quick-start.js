// Quick start: a pino logger whose lines go to CloudWatch Logs through logbeam, which runs in
// pino's worker thread, batches the lines and creates the log group and stream when missing.
//
//   npm run example                  builds logbeam, then runs this file
//   node examples/quick-start.js     the same, once built
//
// No AWS account needed: a local CloudWatch Logs endpoint runs inside the example. To use real
// CloudWatch Logs, pass --aws (region and credentials come from the usual AWS environment), or
// set AWS_ENDPOINT_URL to use another endpoint (LocalStack, moto, logbeam-local).
import pino from 'pino'
import { transport } from 'logbeam'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('quick-start')

// transport() starts logbeam in pino's worker thread, checks the options at once (typed, in
// TypeScript), and holds the stream until it closes, so the worker lives as long as it is needed
// even when nothing else refers to the logger.
const logger = pino(transport({
  logGroupName: cw.logGroupName,
  logStreamName: cw.logStreamName, // without it: '{date}/{hostname}/{pid}/{id}'
  clientConfig: cw.clientConfig // {} on AWS: the SDK finds region and credentials itself
}))

logger.info('hello from logbeam')
logger.info({ orderId: 42, total: 19.99 }, 'order placed')
logger.warn({ orderId: 42, attempt: 2 }, 'payment retried')

// flush calls back once CloudWatch holds every line logged before it. Without it, lines wait up
// to bufferDuration (10 s) to be sent, and whatever is left is delivered when the process exits.
await new Promise(resolve => logger.flush(resolve))

await cw.printStored()
await cw.close()
