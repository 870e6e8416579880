// A Fastify server logging to CloudWatch Logs: logbeam is the transport of Fastify's own pino
// logger, so request logs ("incoming request", "request completed") and the handlers' own lines
// land in the log stream. Needs fastify: npm install fastify
//
//   node examples/fastify.js          local endpoint, no AWS account needed
//   node examples/fastify.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
//
// It starts the server on a free port, makes one request, and stops.
import Fastify from 'fastify'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('fastify')

const app = Fastify({
  logger: {
    transport: {
      target: 'logbeam',
      options: { logGroupName: cw.logGroupName, logStreamName: cw.logStreamName, clientConfig: cw.clientConfig }
    }
  }
})

app.get('/orders/:id', async (request) => {
  request.log.info({ orderId: request.params.id }, 'looking up order')
  return { id: request.params.id, status: 'shipped' }
})

const url = await app.listen({ port: 0, host: '127.0.0.1' })
const response = await fetch(`${url}/orders/42`)
console.log(`GET /orders/42 -> ${response.status} ${await response.text()}`)

await new Promise(resolve => app.log.flush(resolve))
await app.close()
await cw.printStored()
await cw.close()
