// A SimClient transport over node:http with a keep-alive agent: what a benchmark's many simulated
// devices use, so their own HTTP client (fetch builds web streams and abort signals per request)
// costs the process they share with the hub as little as possible.
import http from 'node:http';
import type { Transport } from './sim-client';

export function nodeHttpTransport(agent = new http.Agent({ keepAlive: true })): Transport {
  return (method, url, headers, body) =>
    new Promise((resolve, reject) => {
      const request = http.request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
}
