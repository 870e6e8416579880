import t from 'tap'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { builtCli, seqs, startCli } from '../fixtures/cli-helpers.js'

const missing = builtCli()
if (missing) {
  t.plan(0, `skipped: ${missing}`)
} else {
  t.test('pino-cloudwatch routes by the same templates: one group per tenant, one stream per level', async t => {
    const ep = await startLocalEndpoint({ port: 0 })
    t.teardown(() => ep.close())
    const cli = startCli(['--log-group-name', 'app/{field.tenant|shared}', '--log-stream-name', '{level}',
      '--custom-level', 'audit=35', '--custom-level', 'notice=33', '--endpoint', ep.url, '--max-destinations', '12'])
    const lines: string[] = []
    const expected = new Map<string, number[]>()
    for (let seq = 0; seq < 400; seq++) {
      const tenant = ['acme', 'globex', undefined][seq % 3]
      const level = [30, 35, 33, 50][seq % 4]!
      lines.push(JSON.stringify({ level, time: Date.now(), tenant, seq }))
      const where = `app/${tenant ?? 'shared'}|${({ 30: 'info', 35: 'audit', 33: 'notice', 50: 'error' } as Record<number, string>)[level]}`
      expected.set(where, [...expected.get(where) ?? [], seq])
    }
    cli.child.stdin!.end(lines.join('\n') + '\n')
    const { code } = await cli.exited
    t.equal(code, 0, cli.stderr())
    t.equal(expected.size, 12)
    for (const [where, want] of expected) {
      const [group, stream] = where.split('|') as [string, string]
      t.same(seqs(ep.events(group, stream)), want, `${where}: every line, in order`)
    }
  })

  t.test('a bad template or level is a usage error naming the flag', async t => {
    for (const [args, message] of [
      [['--log-group-name', 'app/{feild.tenant}'], /invalid value for --log-group-name: .*is not a placeholder/],
      [['--log-group-name', 'app', '--custom-level', 'audit=high'], /invalid value for --custom-level: customLevels.audit: expected a whole number/],
      [['--log-group-name', 'app', '--kms-key-id', 'my-key'], /invalid value for --kms-key-id: expected a KMS key ARN/],
      [['--log-group-name', 'app', '--entity', '{"keyAttributes":{"Colour":"x","Name":"y"}}'],
        /invalid value for --entity: entity.keyAttributes.Colour: expected a key of one of Type/]
    ] as const) {
      const cli = startCli([...args, '--endpoint', 'http://127.0.0.1:9'])
      cli.child.stdin!.end()
      const { code } = await cli.exited
      t.equal(code, 2, args.join(' '))
      t.match(cli.stderr(), message)
    }
  })
}
