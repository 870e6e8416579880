// A service as it ships when bundled with esbuild (build.js): one folder of .mjs files and no
// node_modules. Run by run.js: `node app.mjs GROUP STREAM`, with region, credentials and endpoint
// from the standard AWS environment.
import pino from 'pino'
import { transport } from 'logbeam'

const [logGroupName, logStreamName] = process.argv.slice(2)

// In a bundle there is no node_modules/pino for logbeam to load by name: hand it the bundled one.
// The worker finds logbeam itself through globalThis.__bundlerPathsOverrides (see build.js).
const logger = pino(transport({ logGroupName, logStreamName }, { pino }))

logger.info('bundled service starting')
logger.info({ bundler: 'esbuild' }, 'bundled service ready')
await new Promise(resolve => logger.flush(resolve))
