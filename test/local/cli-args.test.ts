import t from 'tap'
import { parseLocalArgs, UsageError } from '../../lib/local/cli/args.js'

t.test('no command runs the endpoint, every flag reaching its option', async (t) => {
  t.same(parseLocalArgs([
    '--port', '4566', '--host', '0.0.0.0', '--auto-create', '--throttle-rate', '0.1', '--error-rate', '0.1', '--drop-rate', '0.1',
    '--hang-rate', '0.1', '--stall-rate', '0.1', '--hang-after-processing-rate', '0.1', '--reset-after-processing-rate', '0.1',
    '--too-large-rate', '0.3', '--max-body-bytes', '1048576', '--latency-ms', '2.5', '--reject-credentials', 'AccessDeniedException',
    '--reject-entity', 'InvalidKeyAttributes', '--fault-operations', 'PutLogEvents, CreateLogStream', '--seed=-7'
  ]), {
    action: 'serve',
    options: {
      port: 4566,
      host: '0.0.0.0',
      autoCreate: true,
      faults: {
        throttleRate: 0.1,
        serverErrorRate: 0.1,
        dropRate: 0.1,
        hangRate: 0.1,
        stallRate: 0.1,
        hangAfterProcessingRate: 0.1,
        resetAfterProcessingRate: 0.1,
        tooLargeRate: 0.3,
        maxBodyBytes: 1048576,
        latencyMs: 2.5,
        rejectCredentials: 'AccessDeniedException',
        rejectEntity: 'InvalidKeyAttributes',
        operations: ['PutLogEvents', 'CreateLogStream'],
        seed: -7
      }
    }
  })
  t.same(parseLocalArgs([]), { action: 'serve', options: { faults: {} } })
})

t.test('dump and list', async (t) => {
  t.same(parseLocalArgs(['dump', '--endpoint', 'http://127.0.0.1:4566', '--group', '/my/app']),
    { action: 'dump', endpoint: 'http://127.0.0.1:4566', group: '/my/app', json: false })
  t.same(parseLocalArgs(['dump', '--endpoint', 'http://h:1', '--group', 'g', '--stream', 's', '--json']),
    { action: 'dump', endpoint: 'http://h:1', group: 'g', stream: 's', json: true })
  t.same(parseLocalArgs(['list', '--json', '--endpoint', 'https://h']), { action: 'list', endpoint: 'https://h', json: true })
})

t.test('--help and --version win over everything else', async (t) => {
  t.same(parseLocalArgs(['dump', '-h']), { action: 'help' })
  t.same(parseLocalArgs(['--port', 'x', '--version']), { action: 'version' })
})

t.test('shares written in decimal that add up to exactly 1 are taken', async (t) => {
  t.doesNotThrow(() => parseLocalArgs(['--throttle-rate', '0.1', '--error-rate', '0.2', '--drop-rate', '0.7']))
})

const BAD: Array<[string[], RegExp]> = [
  [['--throttle-rate', '2'], /^--throttle-rate must be a number from 0 to 1, got '2'$/],
  [['--stall-rate', ''], /^--stall-rate must be a number from 0 to 1/],
  [['--port', 'abc'], /^--port must be an integer from 0 to 65535, got 'abc'$/],
  [['--port', '70000'], /^--port must be an integer from 0 to 65535/],
  [['--port'], /^--port needs a value$/],
  [['--seed', '-3'], /^--seed needs a value \(one starting with '-' is written --seed=VALUE\)$/],
  [['--seed', '1.5'], /^--seed must be an integer/],
  [['--latency-ms=-1'], /^--latency-ms must be a number >= 0/],
  [['--nope'], /^unknown flag --nope$/],
  [['--auto-create=yes'], /^--auto-create takes no value$/],
  [['--stall-rate', '0.6', '--hang-rate', '0.5'], /^--hang-rate \+ --stall-rate must not exceed 1$/],
  [['--max-body-bytes', '0'], /^--max-body-bytes must be a positive integer, got '0'$/],
  [['--reject-credentials', 'Nope'], /^--reject-credentials must be one of UnrecognizedClientException, AccessDeniedException/],
  [['--fault-operations', ' , '], /^--fault-operations must be a comma-separated list/],
  [['--group', 'g'], /^--group is a flag of logbeam-local dump, not of logbeam-local \(the endpoint\)$/],
  [['list', '--port', '1'], /^--port is a flag of logbeam-local \(the endpoint\), not of logbeam-local list$/],
  [['list', '--endpoint', 'http://h', '--stream', 's'], /^--stream is a flag of logbeam-local dump, not of logbeam-local list$/],
  [['frob'], /^unknown command 'frob': expected dump or list/],
  [['list', 'extra'], /^unexpected argument 'extra'/],
  [['dump', '--endpoint', 'http://127.0.0.1:1'], /^logbeam-local dump needs --group$/],
  [['list'], /^logbeam-local list needs --endpoint$/],
  [['list', '--endpoint', 'localhost:4566'], /^--endpoint must be an http:\/\/ or https:\/\/ URL/]
]

for (const [args, message] of BAD) {
  t.test(`refused: ${args.join(' ')}`, async (t) => {
    t.throws(() => parseLocalArgs(args), { constructor: UsageError, message })
  })
}
