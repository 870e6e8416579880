// pino.transport(): the same worker transport, built apart from the logger so that logbeam's
// events can be watched. Delivery trouble never throws: it arrives as named events (putError,
// recovered, dropped, rejected, created, ...) and as rate-limited lines on stderr.
//
//   node examples/pino-transport.js          local endpoint, no AWS account needed
//   node examples/pino-transport.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
import pino from 'pino'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('pino-transport')

const transport = pino.transport({
  target: 'logbeam',
  options: {
    logGroupName: cw.logGroupName,
    logStreamName: cw.logStreamName,
    clientConfig: cw.clientConfig,
    stderr: false // the events below say it all
  }
})
transport.on('created', info => console.log(`event created: ${info.message}`))
transport.on('putError', info => console.log(`event putError: ${info.message}`))

const logger = pino(transport)
logger.info('service starting')
logger.child({ module: 'db' }).info({ pool: 10 }, 'database connected')
logger.info({ port: 8080 }, 'service ready')

await new Promise(resolve => logger.flush(resolve))
await cw.printStored()
await cw.close()
