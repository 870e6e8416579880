import type { ServerResponse } from 'node:http'

/** How the faults that are not a service error look on the wire. The server decides when; this writes. */

/**
 * nginx's own 413 page as recent versions send it with `server_tokens off` (CRLF line ends, from
 * its ngx_http_special_response.c): what a client behind nginx with a too small
 * `client_max_body_size` gets. HTML, not the JSON error an AWS SDK knows how to read.
 */
export const TOO_LARGE_PAGE = '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n' +
  '<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/**
 * The proxy's 413, with the headers nginx sends. nginx closes the connection after this answer,
 * so the client must open a new one; it answers once the body is read (its lingering close), which
 * is why the client sees the 413 and not a broken pipe.
 */
export function answerTooLarge (res: ServerResponse, date: Date): void {
  if (res.destroyed) return
  res.writeHead(413, {
    server: 'nginx',
    date: date.toUTCString(),
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(TOO_LARGE_PAGE),
    connection: 'close'
  })
  res.end(TOO_LARGE_PAGE)
}

/**
 * Status 200 and the headers of a whole JSON answer, then the first half of its body and nothing
 * more: the client has its status and headers, and waits for bytes that never come. The socket
 * stays open until the client gives up or the endpoint closes (it then cuts every connection).
 */
export function stallBody (res: ServerResponse, headers: Record<string, string | number>, body: string): void {
  if (res.destroyed) return
  const bytes = Buffer.from(body, 'utf8')
  res.writeHead(200, { ...headers, 'content-length': bytes.length })
  res.write(bytes.subarray(0, bytes.length >> 1))
}
