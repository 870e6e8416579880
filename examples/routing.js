// Routing by record: each line goes to a stream chosen from its own fields. Here one stream per
// level, custom levels included: pino tells logbeam's worker what its levels are called, so
// `audit` lines land in a stream named `audit`, not `35`. `{field.NAME}` works the same way,
// e.g. logGroupName: '/my/app/{field.tenant|shared}' for one group per tenant.
//
//   node examples/routing.js     (after npm run build)
import pino from 'pino'
import { transport } from 'logbeam'
import { cloudwatch } from './lib/local-or-env.js'

const cw = await cloudwatch('routing')

const logger = pino({ customLevels: { audit: 35 } }, transport({
  logGroupName: cw.logGroupName,
  // {level} is filled from each line; the rest of the name is fixed at start.
  logStreamName: `${cw.logStreamName}/{level}`,
  clientConfig: cw.clientConfig
}))

logger.info({ tenant: 'acme' }, 'cart loaded')
logger.audit({ tenant: 'acme', user: 'u-7' }, 'refund approved')
logger.error({ tenant: 'globex' }, 'payment gateway timed out')
logger.audit({ tenant: 'globex', user: 'u-9' }, 'role granted')

await new Promise(resolve => logger.flush(resolve))

// The audit stream holds the audit lines, and only them.
await cw.printStored(`${cw.logStreamName}/audit`)
await cw.close()
