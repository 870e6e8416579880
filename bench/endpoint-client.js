// The client side of bench/endpoint.js's control port: mark the start of the measured span, then ask what the
// stream holds and which PutLogEvents calls arrived since the mark.
import { request } from 'node:http'

function http (method, url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        } catch (err) {
          reject(err)
        }
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** From here on the endpoint counts calls (the warm-up's are left out). */
export const markEndpoint = control => http('POST', `${control}/mark`)

/**
 * The calls since the mark ([events, bytes] each), failed calls, when the last was answered, the endpoint's CPU and
 * RSS, and how many of the lines numbered from..to-1 `group`/`stream` holds.
 */
export const endpointStats = (control, { group, stream, from, to }) =>
  http('GET', `${control}/stats?group=${group}&stream=${stream}&from=${from}&to=${to}`)
