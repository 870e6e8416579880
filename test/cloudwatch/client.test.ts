import t from 'tap'
import { checkRegion, createClient } from '../../lib/cloudwatch/client.js'

t.test('no region anywhere: the library says which option and variable set one', async t => {
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name]
  process.env.AWS_CONFIG_FILE = '/nonexistent/config'
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials'
  const client = createClient({})
  t.teardown(() => client.destroy())
  await t.rejects(checkRegion(client), { message: 'logbeam: no AWS region: set the clientConfig.region option or the AWS_REGION environment variable' })
})

t.test('a region from the settings is enough', async t => {
  const client = createClient({ region: 'eu-west-1' })
  t.teardown(() => client.destroy())
  await t.resolves(checkRegion(client))
})
