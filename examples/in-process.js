// logbeam without a worker thread: the stream is built in the main thread around a
// CloudWatchLogsClient of your own, which can carry anything the options cannot cross into a
// worker (a credentials provider function, SDK middleware, a stub in unit tests).
//
//   node examples/in-process.js          local endpoint, no AWS account needed
//   node examples/in-process.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import pino from 'pino'
import logbeam from 'logbeam'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('in-process')

const client = new CloudWatchLogsClient(cw.clientConfig)
const stream = await logbeam({ logGroupName: cw.logGroupName, logStreamName: cw.logStreamName }, { client })
stream.on('created', info => console.log(`event created: ${info.message}`))

const logger = pino(stream)
logger.info('running in the main thread')
logger.info({ client: 'injected' }, 'no worker involved')

await stream.flush() // resolves once CloudWatch holds every line written before it
await cw.printStored()

stream.end()
console.log('close result:', await stream.closeResult)
client.destroy() // logbeam leaves a client it was given open
await cw.close()
