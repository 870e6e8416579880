import t from 'tap'
import { FaultPlan, resolveFaultOptions, seededRandom } from '../../lib/local/faults.js'
import {
  RETENTION_DAYS, checkLogGroupName, checkLogStreamName, checkNewLogGroupName, checkRetentionInDays,
  parseFilterPattern, validatePutLogEvents, type InputLogEvent
} from '../../lib/local/rules.js'

const NOW = Date.UTC(2026, 10, 1, 12)
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

function put (logEvents: unknown, retentionInDays?: number): ReturnType<typeof validatePutLogEvents> {
  return validatePutLogEvents({ logGroupName: 'g', logStreamName: 's', logEvents }, NOW, retentionInDays)
}

function at (...timestamps: number[]): InputLogEvent[] {
  return timestamps.map((timestamp, i) => ({ timestamp, message: `event ${i}` }))
}

function message (verdict: ReturnType<typeof validatePutLogEvents>): string | undefined {
  return verdict.ok ? undefined : verdict.message
}

t.test('a valid batch is accepted whole', async (t) => {
  const verdict = put(at(NOW - 1000, NOW - 1000, NOW))
  t.ok(verdict.ok)
  if (verdict.ok) t.match(verdict.batch, { start: 0, end: 3, messageBytes: 21, rejected: undefined })
})

t.test('10,000 events pass, 10,001 fail, 0 fail', async (t) => {
  const many = (n: number): InputLogEvent[] => Array.from({ length: n }, () => ({ timestamp: NOW, message: 'x' }))
  t.ok(put(many(10_000)).ok)
  t.match(message(put(many(10_001))), /Member must have length less than or equal to 10000/)
  t.match(message(put([])), /Value '\[\]' at 'logEvents'.*greater than or equal to 1/)
  t.match(message(put(undefined)), /Value null at 'logEvents'.*must not be null/)
})

t.test('batch bytes count UTF-8 bytes plus 26 per event, up to 1,048,576', async (t) => {
  // Two events of 3-byte characters: 2 * 26 + 2 * 3 * 174_754 = 1_048_576.
  const euro = '€'.repeat(174_754)
  t.ok(put([{ timestamp: NOW, message: euro }, { timestamp: NOW, message: euro }]).ok)
  t.equal(message(put([{ timestamp: NOW, message: euro }, { timestamp: NOW, message: euro + 'a' }])),
    'Upload too large: 1048577 bytes exceeds limit of 1048576')
})

t.test('one event may be 1,048,576 bytes with its 26, not one more', async (t) => {
  t.ok(put([{ timestamp: NOW, message: 'a'.repeat(1_048_550) }]).ok)
  t.equal(message(put([{ timestamp: NOW, message: 'é'.repeat(524_275) + 'a' }])),
    'Log event too large: 1048577 bytes exceeds limit of 1048576')
})

t.test('an empty or missing message fails the call, naming the 1-based member', async (t) => {
  t.match(message(put([{ timestamp: NOW, message: 'a' }, { timestamp: NOW, message: '' }])),
    /Value '' at 'logEvents.2.member.message'.*greater than or equal to 1/)
  t.match(message(put([{ timestamp: NOW }])), /Value null at 'logEvents.1.member.message'/)
})

t.test('a missing or non-integer timestamp fails the call', async (t) => {
  t.match(message(put([{ message: 'a' }])), /Value null at 'logEvents.1.member.timestamp'.*not be null/)
  t.match(message(put([{ timestamp: 1.5, message: 'a' }])), /'logEvents.1.member.timestamp'/)
  t.match(message(put([{ timestamp: '1', message: 'a' }])), /'logEvents.1.member.timestamp'/)
})

t.test('timestamps must not go back; equal ones are fine', async (t) => {
  t.ok(put(at(NOW, NOW, NOW)).ok)
  t.equal(message(put(at(NOW, NOW - 1))), 'Log events in a single PutLogEvents request must be in chronological order.')
})

t.test('the span may be exactly 24 h, not 1 ms more', async (t) => {
  t.ok(put(at(NOW - DAY, NOW)).ok)
  t.equal(message(put(at(NOW - DAY - 1, NOW))), 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.')
})

t.test('the span only counts events that would be stored', async (t) => {
  const verdict = put(at(NOW - 20 * DAY, NOW))
  t.ok(verdict.ok)
  if (verdict.ok) t.same(verdict.batch.rejected, { tooOldLogEventEndIndex: 0 })
})

t.test('14 days old is kept, 1 ms older is too old (inclusive end index)', async (t) => {
  const verdict = put(at(NOW - 14 * DAY - 2, NOW - 14 * DAY - 1, NOW - 14 * DAY, NOW - 13 * DAY))
  t.ok(verdict.ok)
  if (verdict.ok) t.match(verdict.batch, { start: 2, end: 4, rejected: { tooOldLogEventEndIndex: 1 } })
})

t.test('2 h ahead is kept, 1 ms more is too new (inclusive start index)', async (t) => {
  const verdict = put(at(NOW - HOUR, NOW + 2 * HOUR, NOW + 2 * HOUR + 1, NOW + 3 * HOUR))
  t.ok(verdict.ok)
  if (verdict.ok) t.same(verdict.batch.rejected, { tooNewLogEventStartIndex: 2 })
  if (verdict.ok) t.match(verdict.batch, { start: 0, end: 2 })
})

t.test('events older than the retention are expired; older than 14 days stay too old', async (t) => {
  const events = at(NOW - 3 * DAY, NOW - DAY - 1, NOW - DAY, NOW, NOW + 3 * HOUR)
  const verdict = put(events, 1)
  t.ok(verdict.ok)
  if (verdict.ok) t.match(verdict.batch, { start: 2, end: 4, rejected: { expiredLogEventEndIndex: 1, tooNewLogEventStartIndex: 4 } })
  const mixed = put([{ timestamp: NOW - 20 * DAY, message: 'a' }, ...at(NOW - 3 * DAY, NOW)], 1)
  t.ok(mixed.ok)
  if (mixed.ok) t.same(mixed.batch.rejected, { tooOldLogEventEndIndex: 0, expiredLogEventEndIndex: 1 })
  if (mixed.ok) t.equal(mixed.batch.messageBytes, 7)
})

t.test('retention of 14 days or more expires nothing the 14-day rule keeps', async (t) => {
  const verdict = put(at(NOW - 14 * DAY, NOW - 13 * DAY), 14)
  t.ok(verdict.ok)
  if (verdict.ok) t.equal(verdict.batch.rejected, undefined)
})

t.test('log group names: 1-512 of [.-_/#A-Za-z0-9], aws/ reserved on create', async (t) => {
  t.equal(checkNewLogGroupName('/app/my_service-1.#x'), undefined)
  t.equal(checkNewLogGroupName('/aws/lambda/fn'), undefined)
  t.equal(checkNewLogGroupName('a'.repeat(512)), undefined)
  t.match(checkNewLogGroupName('a'.repeat(513)), /length less than or equal to 512/)
  t.match(checkNewLogGroupName(''), /length greater than or equal to 1/)
  t.match(checkNewLogGroupName('my group'), /regular expression pattern/)
  t.match(checkNewLogGroupName('app:1'), /regular expression pattern/)
  t.match(checkNewLogGroupName('aws/mine'), /aws\//)
  t.equal(checkLogGroupName('aws/mine'), undefined, 'only creating such a name is refused')
})

t.test('log stream names: 1-512, no : or *', async (t) => {
  t.equal(checkLogStreamName('host 1/pid#2 é'), undefined)
  t.equal(checkLogStreamName('s'.repeat(512)), undefined)
  t.match(checkLogStreamName('s'.repeat(513)), /less than or equal to 512/)
  t.match(checkLogStreamName('a:b'), /\[\^:\*\]\*/)
  t.match(checkLogStreamName('a*b'), /\[\^:\*\]\*/)
  t.match(checkLogStreamName(''), /greater than or equal to 1/)
})

t.test('retention: only the listed values, and the message lists them', async (t) => {
  for (const days of RETENTION_DAYS) t.equal(checkRetentionInDays(days), undefined, `${days}`)
  for (const days of [0, 2, 13, 3654, '7', undefined]) {
    t.match(checkRetentionInDays(days), /enum value set: \[1, 3, 5, 7, 14, 30, .*3288, 3653\]/, String(days))
  }
})

t.test('filter patterns: terms and quoted phrases', async (t) => {
  t.same(parseFilterPattern('ERROR  db'), ['ERROR', 'db'])
  t.same(parseFilterPattern('"connection reset" ERROR'), ['connection reset', 'ERROR'])
  t.same(parseFilterPattern(''), [])
  t.throws(() => parseFilterPattern('"open'), { name: 'InvalidParameterException' })
  t.throws(() => parseFilterPattern('{ $.level = "error" }'), { name: 'InvalidParameterException' })
  t.throws(() => parseFilterPattern('?ERROR ?WARN'), { name: 'InvalidParameterException' })
})

t.test('the fault generator replays the same draws for a seed', async (t) => {
  const a = seededRandom(42)
  const b = seededRandom(42)
  const draws = Array.from({ length: 5 }, () => a())
  t.same(Array.from({ length: 5 }, () => b()), draws)
  t.ok(draws.every((d) => d >= 0 && d < 1))
  t.not(seededRandom(43)(), draws[0])
})

t.test('fault decisions: credentials, then the queue (PutLogEvents only), then random', async (t) => {
  const plan = new FaultPlan({ throttleRate: 1, operations: ['PutLogEvents'] })
  plan.queue(['drop'])
  t.equal(plan.decide('CreateLogStream'), undefined)
  t.equal(plan.decide('PutLogEvents'), 'drop')
  t.equal(plan.decide('PutLogEvents'), 'throttle')
  plan.set({ rejectCredentials: 'AccessDeniedException' })
  t.equal(plan.decide('DescribeLogGroups'), 'access-denied')
  t.throws(() => plan.queue(['explode' as 'drop']), TypeError)
})

t.test('bad fault options fail at once, naming the option', async (t) => {
  t.throws(() => resolveFaultOptions({ dropRate: 1.5 }), { name: 'RangeError', message: /faults.dropRate/ })
  t.throws(() => resolveFaultOptions({ throttleRate: 0.6, serverErrorRate: 0.6 }), { message: /must not exceed 1/ })
  t.throws(() => resolveFaultOptions({ latencyMs: -1 }), { message: /faults.latencyMs/ })
  t.throws(() => resolveFaultOptions({ seed: 1.5 }), { message: /faults.seed/ })
})
