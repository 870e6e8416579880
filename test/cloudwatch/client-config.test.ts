import t from 'tap'
import { checkClientConfig } from '../../lib/cloudwatch/client-config.js'
import { LogbeamOptionError } from '../../lib/option-error.js'

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }

t.test('plain settings that the SDK and logbeam accept pass unchanged', async t => {
  const config = {
    region: 'us-gov-west-1',
    endpoint: 'http://127.0.0.1:4566',
    profile: 'prod',
    maxAttempts: 3,
    useFipsEndpoint: false,
    useDualstackEndpoint: true,
    credentials: { ...creds, sessionToken: 'token' },
    proxy: 'http://user:pass@proxy.internal:3128',
    assumeRole: { roleArn: 'arn:aws:iam::123456789012:role/logs-writer', externalId: 'ext-1', roleSessionName: 'logbeam', durationSeconds: 900 }
  }
  t.equal(checkClientConfig(config), config)
  t.same(checkClientConfig(undefined), {}, 'absent is no settings')
  for (const region of ['eu-west-1', 'cn-north-1', 'us-isob-east-1', 'ap-southeast-5', 'eusc-de-east-1']) {
    t.doesNotThrow(() => checkClientConfig({ region }), region)
  }
  t.doesNotThrow(() => checkClientConfig({ assumeRole: { roleArn: 'arn:aws-cn:iam::123456789012:role/path/name' } }), 'other partitions, role paths')
})

const bad: Array<[string, unknown, RegExp]> = [
  ['not an object', 'eu-west-1', /^logbeam: invalid option clientConfig: expected an object/],
  ['a misspelled setting', { regoin: 'eu-west-1' }, /^logbeam: invalid option clientConfig\.regoin: unknown setting \(known: region, endpoint/],
  ['an endpoint that is not a URL', { endpoint: 'localhost:4566' }, /^logbeam: invalid option clientConfig\.endpoint: expected a URL \(http:\/\/ or https:\/\/\), got "localhost:4566"/],
  ['an endpoint that is a number', { endpoint: 123 }, /^logbeam: invalid option clientConfig\.endpoint: expected a URL/],
  ['an endpoint of another scheme', { endpoint: 'ftp://example.com' }, /clientConfig\.endpoint: expected a URL/],
  ['a region that is not a region name', { region: 'Ireland' }, /^logbeam: invalid option clientConfig\.region: expected a region name such as eu-west-1, got "Ireland"/],
  ['a region with a zone letter', { region: 'eu-west-1a' }, /clientConfig\.region/],
  ['credentials that are a string', { credentials: 'AKID:secret' }, /^logbeam: invalid option clientConfig\.credentials: expected an object with accessKeyId, secretAccessKey, sessionToken/],
  ['credentials without a secret', { credentials: { accessKeyId: 'AKID' } }, /clientConfig\.credentials\.secretAccessKey: required/],
  ['credentials with a misspelled key', { credentials: { ...creds, sessionTokne: 'x' } }, /clientConfig\.credentials\.sessionTokne: unknown setting/],
  ['credentials with a number', { credentials: { ...creds, accessKeyId: 42 } }, /clientConfig\.credentials\.accessKeyId: expected a non-empty string, got number/],
  ['maxAttempts of zero', { maxAttempts: 0 }, /^logbeam: invalid option clientConfig\.maxAttempts: expected a whole number from 1 to 100, got 0/],
  ['maxAttempts as text', { maxAttempts: '3' }, /clientConfig\.maxAttempts: expected a whole number/],
  ['maxAttempts of 2.5', { maxAttempts: 2.5 }, /clientConfig\.maxAttempts/],
  ['useFipsEndpoint as text', { useFipsEndpoint: 'yes' }, /clientConfig\.useFipsEndpoint: expected true or false/],
  ['a proxy that is not a URL', { proxy: 'proxy.internal:3128' }, /^logbeam: invalid option clientConfig\.proxy: expected a proxy URL \(http:\/\/ or https:\/\/\)$/],
  ['a socks proxy', { proxy: 'socks5://proxy.internal:1080' }, /clientConfig\.proxy: expected a proxy URL/],
  ['assumeRole without a role', { assumeRole: { externalId: 'x1' } }, /clientConfig\.assumeRole\.roleArn: required/],
  ['assumeRole with a role name', { assumeRole: { roleArn: 'logs-writer' } }, /clientConfig\.assumeRole\.roleArn: expected a role ARN/],
  ['assumeRole too short', { assumeRole: { roleArn: 'arn:aws:iam::123456789012:role/r', durationSeconds: 60 } }, /clientConfig\.assumeRole\.durationSeconds: expected a whole number from 900 to 43200, got 60/],
  ['assumeRole with a bad session name', { assumeRole: { roleArn: 'arn:aws:iam::123456789012:role/r', roleSessionName: 'my session' } }, /clientConfig\.assumeRole\.roleSessionName/],
  ['assumeRole misspelled', { assumeRole: { roleArn: 'arn:aws:iam::123456789012:role/r', externalID: 'x1' } }, /clientConfig\.assumeRole\.externalID: unknown setting \(known: roleArn, externalId/],
  ['a function (cannot cross into the worker)', { credentials: () => creds }, /clientConfig\.credentials: expected an object/]
]

for (const [what, config, message] of bad) {
  t.test(`refused at start: ${what}`, async t => {
    const err = t.throws(() => checkClientConfig(config)) as unknown
    t.type(err, LogbeamOptionError)
    t.match((err as Error).message, message)
  })
}

t.test('a refusal never echoes a secret or a proxy URL', async t => {
  const cases = [
    { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 42 } },
    { credentials: { accessKeyId: '', secretAccessKey: creds.secretAccessKey } },
    { credentials: { ...creds, extra: 'x' } },
    { proxy: 'proxy.internal:3128@hunter2' }
  ]
  for (const config of cases) {
    const message = (t.throws(() => checkClientConfig(config)) as Error).message
    t.notMatch(message, /AKIDEXAMPLE|wJalrXUtnFEMI|hunter2/, message)
  }
})

t.test('the error names the setting in its fields too', async t => {
  const err = t.throws(() => checkClientConfig({ regoin: 'x' })) as LogbeamOptionError
  t.equal(err.option, 'clientConfig.regoin')
  t.match(err.reason, /^unknown setting/)
})
