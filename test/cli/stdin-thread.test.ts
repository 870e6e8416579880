import t from 'tap'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { builtCli } from '../fixtures/cli-helpers.js'

const APP = fileURLToPath(new URL('./read-ahead-app.mjs', import.meta.url))
const MiB = 1024 * 1024

t.test('the stdin thread reads ahead up to its bound while nothing is taken, then hands over every byte in order',
  { skip: builtCli() }, async t => {
    const child = spawn(process.execPath, [APP, String(MiB), '1000'], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
    const input = randomBytes(8 * MiB)
    child.stdin.end(input)
    t.equal(await new Promise(resolve => child.on('close', resolve)), 0)
    const { ahead, ...rest } = JSON.parse(out) as { ahead: number, bytes: number, sha256: string }
    // The thread stops once 1 MiB is read and not taken; the chunk that crossed the bound is at most 64 KiB.
    t.ok(ahead >= MiB && ahead <= MiB + 64 * 1024, `${ahead} bytes read ahead of 8 MiB offered`)
    t.same(rest, { bytes: input.length, sha256: createHash('sha256').update(input).digest('hex') })
  })
