// Prints the events of one log stream, read back through the AWS SDK (endpoint, region and
// credentials from the environment). Used by cli-pipe.sh:
//
//   node examples/lib/print-stored.js GROUP STREAM
import { printStored } from './local-or-env.js'

const [logGroupName, logStreamName] = process.argv.slice(2)
if (logGroupName === undefined || logStreamName === undefined) {
  console.error('usage: node examples/lib/print-stored.js GROUP STREAM')
  process.exit(2)
}
await printStored(logGroupName, logStreamName)
