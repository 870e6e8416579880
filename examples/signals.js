// flushOnSignals(): a SIGTERM (docker stop, Kubernetes, systemd) normally kills a Node.js process
// without an exit event, and lines still buffered by the transport are lost. With
// flushOnSignals() the process exits through process.exit() (code 143), pino ends the transport
// and logbeam delivers everything first.
//
//   node examples/signals.js          local endpoint, no AWS account needed
//   node examples/signals.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
//
// The app below runs in a child process and sends itself SIGTERM right after logging; this
// process, standing in for the orchestrator, then shows what CloudWatch stored.
import pino from 'pino'
import { flushOnSignals } from 'logbeam'
import { cloudwatch } from './lib/local-or-env.js'

if (process.argv[2] === 'app') {
  const [logGroupName, logStreamName] = process.argv.slice(3)
  flushOnSignals()
  const logger = pino({ transport: { target: 'logbeam', options: { logGroupName, logStreamName } } })
  logger.info('shutting down soon')
  logger.info({ inFlight: 3 }, 'last requests drained')
  process.kill(process.pid, 'SIGTERM')
} else {
  const cw = await cloudwatch('signals')
  const { code, signal } = await cw.runApp(import.meta.url)
  console.log(`the app got SIGTERM and exited with ${signal ?? `code ${code}`}`)
  await cw.printStored()
  await cw.close()
}
