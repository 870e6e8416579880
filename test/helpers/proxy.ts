import { once } from 'node:events'
import http from 'node:http'
import net from 'node:net'

export interface ProxyRecord {
  /** `CONNECT host:port` (https through a tunnel) or `POST http://host:port/` (absolute-form, plain http). */
  requests: string[]
  /** Client connections the proxy accepted: fewer than requests means connections were kept alive. */
  connections: number
}

export interface TestProxy extends ProxyRecord {
  url: string
  close: () => Promise<void>
}

/**
 * A forward proxy as corporate networks run them, on a loopback port: CONNECT opens a tunnel (https),
 * and an absolute-form request (`POST http://host/path`) is forwarded (plain http).
 */
export async function startProxy (): Promise<TestProxy> {
  const record: ProxyRecord = { requests: [], connections: 0 }
  const sockets = new Set<net.Socket>()
  const server = http.createServer((req, res) => {
    record.requests.push(`${req.method} ${req.url}`)
    const target = new URL(req.url!)
    const upstream = http.request(target, { method: req.method, headers: req.headers }, answer => {
      res.writeHead(answer.statusCode!, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket: net.Socket) => {
    record.connections++
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    record.requests.push(`CONNECT ${req.url}`)
    const [host, port] = req.url!.split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    sockets.add(upstream)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as net.AddressInfo
  return Object.assign(record, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })
}
