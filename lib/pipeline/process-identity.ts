// Who owns a spool folder: a process is its pid plus the moment it started.
//
// A pid alone is not enough: worker threads of one process share it (two transports in one app would take each
// other's live folders), and pids are reused, in containers above all, where the app is pid 1 after every restart.
// The start time tells a live owner from a dead one that had the same pid.
import { readFileSync } from 'node:fs'

/** The start of process `pid` in clock ticks since boot (Linux), or undefined where it cannot be read. */
function startTicks (pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22 (starttime); the command name (field 2) may hold spaces and parentheses, so count after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19]
  } catch {
    return undefined
  }
}

/** This process's start: exact on Linux; elsewhere to the second, from its uptime (shared by its threads). */
export function ownStart (): string {
  return startTicks(process.pid) ?? `u${Math.round(Date.now() / 1000 - process.uptime())}`
}

/** Whether a process with this pid and start is running (EPERM: it is, under another user). */
export function processAlive (pid: number, start: string | undefined): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (start === undefined) return true
  if (pid === process.pid) return start === ownStart()
  const now = startTicks(pid)
  // Elsewhere than Linux another process's start cannot be read: a live pid counts as the owner.
  return now === undefined || start.startsWith('u') || now === start
}
