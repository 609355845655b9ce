// A minimal load balancer for tests: each incoming request goes to the next backend in turn
// (round robin, no stickiness), so consecutive steps of one sign-in land on different server
// processes. Forwarded-Host/Proto are not set: the issuer is this proxy's own http URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  port: number;
  /** Which backend (index) answered each request, in order. */
  served: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: () => readonly string[], port = 0): Promise<RoundRobinProxy> {
  let next = 0;
  const served: number[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const targets = backends();
    const index = next++ % targets.length;
    served.push(index);
    const target = new URL(targets[index]!);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: req.headers.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    served,
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
