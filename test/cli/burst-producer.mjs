// A producer that logs a burst and exits GRACE_MS later, whether the reader took it all or not: what it still holds
// then is lost, as with a pino app calling process.exit() while its asynchronous stdout waits on a full pipe. (Not
// pino itself: its exit flush races its own write in flight, and tears or reorders a line now and then even with a
// reader that never stops, 2 runs of 5 on Node 24; that part is pino's, not the reader's.)
// Usage: node burst-producer.mjs COUNT GRACE_MS. Lines are pino's shape, each with { seq } and a rising `time`.
import { Socket } from 'node:net'

const count = Number(process.argv[2] ?? 20000)
const grace = Number(process.argv[3] ?? 300)
const start = Date.now() - 60_000
let text = ''
for (let seq = 0; seq < count; seq++) text += `{"level":30,"time":${start + seq},"pid":${process.pid},"seq":${seq},"msg":"line"}\n`
// fd 1 as a non-blocking stream: what the pipe cannot take yet waits in this process, and dies with it at exit.
new Socket({ fd: 1, readable: false, writable: true }).write(text)
setTimeout(() => process.exit(0), grace)
