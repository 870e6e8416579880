// Preloaded into the CLI (NODE_OPTIONS=--require): keeps its main thread busy for BUSY_START_MS from the first turn
// of its event loop, as a slow load of the AWS SDK would on a loaded machine. Threads are left alone.
const { isMainThread } = require('node:worker_threads')

const ms = Number(process.env.BUSY_START_MS ?? 1500)
if (isMainThread) {
  setImmediate(() => {
    const until = Date.now() + ms
    while (Date.now() < until);
  })
}
