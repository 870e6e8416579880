import t from 'tap'
import { classify, describe, redact } from '../../lib/cloudwatch/errors.js'

const err = (name: string, message = ''): Error => Object.assign(new Error(message), { name })

t.test('errors are classified for the retry policy', async t => {
  t.equal(classify(err('ResourceNotFoundException', 'The specified log group does not exist.')), 'missing-group')
  t.equal(classify(err('ResourceNotFoundException', 'The specified log stream does not exist.')), 'missing-stream')
  t.equal(classify(err('InvalidParameterException', 'Log event too large')), 'invalid')
  t.equal(classify(err('UnrecognizedClientException')), 'denied')
  t.equal(classify(err('AccessDeniedException')), 'denied')
  t.equal(classify(err('ThrottlingException')), 'overload')
  t.equal(classify(err('ServiceUnavailableException')), 'overload')
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

t.test('the words of real AWS errors are kept', async t => {
  const messages = [
    'ExpiredTokenException: The security token included in the request is expired',
    'InvalidSignatureException: Signature expired: 20261201T120000Z is now earlier than 20261201T120500Z (20261201T121000Z - 5 min.)',
    'CredentialsProviderError: Could not load credentials from any providers',
    'MissingAuthenticationToken: Missing Authentication Token',
    'InvalidClientTokenId: The security token included in the request is invalid.',
    'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.',
    "IncompleteSignature: Authorization header requires 'Credential' parameter.",
    'PutLogEvents failed, will retry: UnrecognizedClientException: The security token included in the request is invalid.'
  ]
  for (const message of messages) t.equal(redact(message), message, message)
  t.equal(describe(err('ExpiredTokenException', messages[0]!.slice(23))).message, 'The security token included in the request is expired')
})

t.test('secrets are masked wherever they appear', async t => {
  const cases: Array<[string, string]> = [
    ['key AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE', 'key AKIA**** and ASIA****'],
    ['secretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secretAccessKey=****'],
    ['aws_secret_access_key = wJalrXUtnFEMI', 'aws_secret_access_key = ****'],
    ['aws_secret_access_key: wJalrXUtnFEMI/K7MDENG', 'aws_secret_access_key: ****'],
    ['{"sessionToken":"FQoGZXIvYXdz","SecretAccessKey": "abc"}', '{"sessionToken":"****","SecretAccessKey": "****"}'],
    ["{ sessionToken: 'IQoJb3JpZ2luX2Vj' }", "{ sessionToken: '****' }"],
    ['GET /?X-Amz-Credential=AKIA%2F20261201&X-Amz-Security-Token=IQo&X-Amz-Signature=9f86d081884c7d65',
      'GET /?X-Amz-Credential=****&X-Amz-Security-Token=****&X-Amz-Signature=****'],
    ['Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/logs/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
    'Authorization: AWS4-HMAC-SHA256 Credential=****, SignedHeaders=host;x-amz-date, Signature=****'],
    ['x-amz-security-token: IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ', 'x-amz-security-token: ****'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'Authorization: Bearer ****']
  ]
  for (const [text, masked] of cases) t.equal(redact(text), masked, text)
  t.equal(redact(redact(cases[1]![0])), cases[1]![1], 'masking twice changes nothing')
})
