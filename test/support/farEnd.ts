import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A server of the test's own that Rounds calls (an LMS endpoint, or a private service an attacker points at). */
export interface FarEnd {
  /** `http(s)://127.0.0.1:<port>` (or the host name given for TLS). */
  origin: string;
  port: number;
  /** Path and query of every request it received, in order. */
  hits: string[];
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 answering with `handler`; with `tls` (a key and certificate) it speaks HTTPS and
 * `origin` uses `tls.host` (resolve that name to 127.0.0.1 with `useAddressPolicy`).
 */
export async function startFarEnd(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tls?: { key: string; cert: string; host: string },
): Promise<FarEnd> {
  const hits: string[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    hits.push(String(req.url));
    handler(req, res);
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: tls ? `https://${tls.host}:${port}` : `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers `body` as JSON. */
export function answerJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
