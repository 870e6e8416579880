import http from 'node:http'
import https from 'node:https'
import { NodeHttpHandler } from '@smithy/node-http-handler'
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

/** What `http.ClientRequest` calls on its agent, synchronously, before the request's head is written. */
type AddRequest = (req: http.ClientRequest, options: Record<string, unknown>) => void

/**
 * An agent that hands each request to one agent per way out (direct, or a given proxy), each keeping its
 * connections alive. The choice is made per request, from its host, so NO_PROXY can exempt the endpoint
 * (or STS) by name. It is made in addRequest, as http-proxy-agent itself does: a choice made later (as
 * agent-base's async connect() would) comes after the head is written with a relative path, which a
 * proxy cannot route once the connection is reused.
 */
function selectorAgent (secure: boolean, proxy: string | undefined): http.Agent {
  const agents = new Map<string, http.Agent>()
  const pick = (host: string, port: unknown): http.Agent => {
    const name = host.includes(':') ? `[${host}]` : host // an IPv6 address, in a URL
    const via = proxy ?? getProxyForUrl(`${secure ? 'https' : 'http'}://${name}:${port}`)
    let agent = agents.get(via)
    if (agent === undefined) {
      agent = via === ''
        ? new (secure ? https.Agent : http.Agent)(AGENT_OPTIONS)
        : secure ? new HttpsProxyAgent(via, AGENT_OPTIONS) : new HttpProxyAgent(via, AGENT_OPTIONS)
      agents.set(via, agent)
    }
    return agent
  }
  // An https.Agent for https: ClientRequest refuses an agent whose protocol is not the request's.
  const selector = new (secure ? https.Agent : http.Agent)(AGENT_OPTIONS)
  const addRequest: AddRequest = (req, options) => {
    const host = String(options.hostname ?? options.host ?? 'localhost')
    // secureEndpoint: the proxy agents read it (the SDK passes no protocol).
    ;(pick(host, options.port) as unknown as { addRequest: AddRequest })
      .addRequest(req, { ...options, secureEndpoint: secure })
  }
  const destroy = selector.destroy.bind(selector)
  return Object.assign(selector, {
    addRequest,
    destroy: () => {
      for (const agent of agents.values()) agent.destroy()
      agents.clear()
      destroy()
    }
  })
}

/**
 * The SDK v3 ignores HTTPS_PROXY and friends, and a handler cannot cross into pino's worker: it is
 * built here, in the worker, from `proxy` (plain data) or the environment. Undefined when neither
 * names a proxy, so the SDK's own handler stays in place.
 */
export function proxyRequestHandler (proxy: string | undefined,
  env: NodeJS.ProcessEnv = process.env): NodeHttpHandler | undefined {
  if (proxy === undefined && !proxyInEnvironment(env)) return undefined
  return new NodeHttpHandler({ httpAgent: selectorAgent(false, proxy), httpsAgent: selectorAgent(true, proxy) })
}
