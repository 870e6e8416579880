import t from 'tap'
import { classify, describe, redact } from '../../lib/cloudwatch/errors.js'

const err = (name: string, message = ''): Error => Object.assign(new Error(message), { name })

t.test('errors are classified for the retry policy', async t => {
  t.equal(classify(err('ResourceNotFoundException', 'The specified log group does not exist.')), 'missing-group')
  t.equal(classify(err('ResourceNotFoundException', 'The specified log stream does not exist.')), 'missing-stream')
  t.equal(classify(err('InvalidParameterException', 'Log event too large')), 'invalid')
  t.equal(classify(err('UnrecognizedClientException')), 'denied')
  t.equal(classify(err('AccessDeniedException')), 'denied')
  t.equal(classify(err('ThrottlingException')), 'transient')
  t.equal(classify(err('ServiceUnavailableException')), 'transient')
  t.equal(classify(err('TimeoutError')), 'transient')
  t.equal(classify(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 'transient')
})

t.test('descriptions never carry credentials', async t => {
  const d = describe(err('UnrecognizedClientException', 'bad key AKIAABCDEFGHIJKLMNOP with secretAccessKey=abc123/xyz'))
  t.notMatch(d.message, /AKIAABCDEFGHIJKLMNOP/)
  t.notMatch(d.message, /abc123/)
  t.equal(d.code, 'UnrecognizedClientException')
  t.equal(redact('"sessionToken":"FQoGZXIvYXdz"'), '"sessionToken":"****"')
})
