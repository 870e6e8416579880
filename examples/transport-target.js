// pino({ transport: { target: 'logbeam', options } }): the usual way to use logbeam, here with the
// options most often set. pino starts a worker thread that loads logbeam; the options cross into
// it as plain data (no functions, no client objects). Every option is in the README.
//
//   node examples/transport-target.js          local endpoint, no AWS account needed
//   node examples/transport-target.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
import pino from 'pino'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('transport-target')

const logger = pino({
  level: 'debug',
  transport: {
    target: 'logbeam',
    options: {
      logGroupName: cw.logGroupName,
      logStreamName: cw.logStreamName,
      clientConfig: cw.clientConfig,
      retentionInDays: 14, // set on a group that logbeam creates
      tags: { team: 'payments' }, // likewise
      bufferDuration: 2000, // a line waits at most 2 s before it is sent
      maxPutsPerSecond: 5 // PutLogEvents calls per second, retries included
    }
  }
})

logger.debug({ cart: ['book', 'pen'] }, 'cart loaded')
logger.info({ userId: 'u-17' }, 'user signed in')
logger.error(new Error('card declined'), 'checkout failed')

await new Promise(resolve => logger.flush(resolve))
await cw.printStored()
await cw.close()
