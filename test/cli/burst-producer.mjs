// A pino app that logs a burst to its asynchronous stdout (pino's default) and calls process.exit() right after:
// pino then flushes synchronously, and whatever its last asynchronous write still held is lost if the pipe is full
// because nobody reads it. Usage: node burst-producer.mjs COUNT. Each line carries { seq }.
import pino from 'pino'

const count = Number(process.argv[2] ?? 20000)
const logger = pino()
let seq = 0
// Bursts of 500 with a turn of the event loop between them, so asynchronous writes are under way at the exit.
const burst = () => {
  for (let i = 0; i < 500 && seq < count; i++, seq++) logger.info({ seq }, 'line')
  if (seq < count) setImmediate(burst)
  else process.exit(0)
}
burst()
