import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { localEndpoint } from '../helpers/endpoint.js'
import { startTransport } from '../helpers/transport.js'

interface Thread { tid: string, name: string, nice: number }

/** This process's threads with their names and niceness, from /proc (field 19 of stat is the niceness). */
function threads (): Thread[] {
  return readdirSync('/proc/self/task').map(tid => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    // The name is in parentheses and may hold spaces: the fields after it are counted from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { tid, name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: Number(fields[16]) }
  })
}

const linux = process.platform === 'linux' ? false : 'niceness per thread is Linux only'

t.test('workerNice lowers the worker thread alone: the main thread and the thread pool keep theirs', { skip: linux },
  async t => {
    const ep = await localEndpoint(t)
    const before = new Set(threads().map(th => th.tid))
    const run = startTransport(ep.url, { logGroupName: 'app/nice', logStreamName: 's', workerNice: 10 })
    run.logger.info({ seq: 0 }, 'x')
    await run.flush()
    const now = threads()
    const lowered = now.filter(th => th.nice === 10)
    t.equal(lowered.length, 1, `one thread lowered: ${JSON.stringify(now)}`)
    t.notOk(before.has(lowered[0]!.tid), 'a thread the transport started')
    t.equal(now.find(th => th.tid === String(process.pid))!.nice, 0, 'the main thread is untouched')
    for (const pool of now.filter(th => th.name.startsWith('libuv-worker'))) {
      t.equal(pool.nice, 0, `thread pool ${pool.tid} at the normal priority`)
    }
    t.same(run.events.workerNice, [], 'nothing to report')
    t.equal(ep.events('app/nice', 's').length, 1, 'and it delivers')
    await run.end()
  })

t.test('without workerNice every thread keeps its priority', { skip: linux }, async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: 'app/nice', logStreamName: 'plain' })
  run.logger.info('x')
  await run.flush()
  t.same(threads().filter(th => th.nice !== 0), [])
  await run.end()
})
