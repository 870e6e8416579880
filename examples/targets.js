// Two destinations at once: readable lines on the console (pino-pretty) and JSON lines in
// CloudWatch Logs (logbeam), both in one pino worker thread.
//
//   node examples/targets.js          local endpoint, no AWS account needed
//   node examples/targets.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
//
// With several targets, logger.flush() does not wait for CloudWatch (pino's multistream has no
// asynchronous flush). The app below just exits: pino then ends the transport, and logbeam
// delivers what it holds before the worker stops. It runs in a child process so that this one can
// show what CloudWatch stored once it is gone.
import pino from 'pino'
import { cloudwatch } from './lib/local-or-env.js'

if (process.argv[2] === 'app') {
  const [logGroupName, logStreamName] = process.argv.slice(3)
  const logger = pino({
    level: 'debug',
    transport: {
      targets: [
        { target: 'pino-pretty', level: 'debug', options: { destination: 1 } },
        { target: 'logbeam', level: 'info', options: { logGroupName, logStreamName } } // debug stays on the console
      ]
    }
  })
  logger.debug('console only')
  logger.info({ jobs: 3 }, 'worker started')
  logger.warn({ queue: 'emails', depth: 1200 }, 'queue is growing')
} else {
  const cw = await cloudwatch('targets')
  await cw.runApp(import.meta.url)
  await cw.printStored()
  await cw.close()
}
