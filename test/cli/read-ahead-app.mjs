// Reads its stdin through the CLI's stdin thread: holds off for HOLD ms (as the CLI does while the SDK loads), then
// consumes all of it and prints { ahead, bytes, sha256 }, `ahead` being what was read before it started consuming.
// Usage: node read-ahead-app.mjs READ_AHEAD_BYTES HOLD_MS
import { createHash } from 'node:crypto'
import { threadedStdin } from '../../dist/cli/stdin-thread.js'

const input = threadedStdin(Number(process.argv[2]))
if (!input) throw new Error('stdin is not a pipe')
const hash = createHash('sha256')
let bytes = 0
setTimeout(() => {
  const ahead = input.readableLength
  input.on('data', chunk => {
    hash.update(chunk)
    bytes += chunk.length
  })
  input.on('end', () => console.log(JSON.stringify({ ahead, bytes, sha256: hash.digest('hex') })))
}, Number(process.argv[3]))
