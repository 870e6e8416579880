/**
 * Resolves once `check` holds, looking again every few milliseconds (bounded by `ms`): for a state the test cannot
 * be told about (what an endpoint stored, a socket closing). The one wait of the test suite.
 */
export async function until (check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
