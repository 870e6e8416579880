import http from 'node:http'
import https from 'node:https'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { Agent, type AgentConnectOpts } from 'agent-base'
import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { getProxyForUrl } from 'proxy-from-env'

// What the SDK's own handler gives its agents: connections are kept and reused, at most 50 per host.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 50 } as const

const PROXY_VARIABLES = ['https_proxy', 'http_proxy', 'all_proxy']

/** Whether the environment names a proxy (either case, as curl and proxy-from-env read them). */
export function proxyInEnvironment (env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some(name => Boolean(env[name] || env[name.toUpperCase()]))
}

/**
 * One agent per way out (direct or a given proxy), each keeping its connections alive: the choice is
 * made per request, from the request's URL, so NO_PROXY can exempt the endpoint (or STS) by host.
 */
class ProxySelector extends Agent {
  readonly #secure: boolean
  readonly #proxy: string | undefined
  readonly #agents = new Map<string, http.Agent>()

  constructor (secure: boolean, proxy: string | undefined) {
    super(AGENT_OPTIONS)
    this.#secure = secure
    this.#proxy = proxy
  }

  override isSecureEndpoint (): boolean {
    return this.#secure
  }

  connect (_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    const target = `${this.#secure ? 'https' : 'http'}://${opts.host ?? 'localhost'}:${opts.port}`
    const proxy = this.#proxy ?? getProxyForUrl(target)
    let agent = this.#agents.get(proxy)
    if (agent === undefined) {
      agent = proxy === ''
        ? new (this.#secure ? https.Agent : http.Agent)(AGENT_OPTIONS)
        : this.#secure ? new HttpsProxyAgent(proxy, AGENT_OPTIONS) : new HttpProxyAgent(proxy, AGENT_OPTIONS)
      this.#agents.set(proxy, agent)
    }
    return agent
  }

  override destroy (): void {
    for (const agent of this.#agents.values()) agent.destroy()
    this.#agents.clear()
    super.destroy()
  }
}

/**
 * The SDK v3 ignores HTTPS_PROXY and friends, and a handler cannot cross into pino's worker: it is
 * built here, in the worker, from `proxy` (plain data) or the environment. Undefined when neither
 * names a proxy, so the SDK's own handler stays in place.
 */
export function proxyRequestHandler (proxy: string | undefined, env: NodeJS.ProcessEnv = process.env): NodeHttpHandler | undefined {
  if (proxy === undefined && !proxyInEnvironment(env)) return undefined
  return new NodeHttpHandler({ httpAgent: new ProxySelector(false, proxy), httpsAgent: new ProxySelector(true, proxy) })
}
