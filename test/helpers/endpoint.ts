import type { Test } from 'tap'
import { startLocalEndpoint, type FaultOptions, type LocalEndpoint, type LocalEndpointOptions } from '../../lib/local/index.js'

/** The local endpoint on a free port, closed when the test ends; random faults seeded so a run can be replayed. */
export async function localEndpoint (t: Pick<Test, 'teardown'>, faults: FaultOptions = {}, options: LocalEndpointOptions = {}): Promise<LocalEndpoint> {
  const ep = await startLocalEndpoint({ port: 0, ...options, faults: { seed: 7, ...faults } })
  t.teardown(() => ep.close())
  return ep
}
