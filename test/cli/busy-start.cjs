// Preloaded into the CLI (NODE_OPTIONS=--require): keeps its main thread busy for BUSY_START_MS right after it starts
// its first thread (the one reading stdin), as a slow load of the AWS SDK does on a loaded machine. Found through
// worker_threads.Worker, wrapped here; syncBuiltinESMExports() hands the wrapper to `import { Worker }` as well.
const threads = require('node:worker_threads')
const { syncBuiltinESMExports } = require('node:module')

const ms = Number(process.env.BUSY_START_MS ?? 1500)
if (threads.isMainThread) {
  const { Worker } = threads
  let busy = false
  threads.Worker = class extends Worker {
    constructor (...args) {
      super(...args)
      if (busy) return
      busy = true
      setImmediate(() => {
        const until = Date.now() + ms
        while (Date.now() < until);
      })
    }
  }
  syncBuiltinESMExports()
}
