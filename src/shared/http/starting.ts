import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';

/** What a client is told to wait before asking again while Rounds boots (RFC 9110 §10.2.3 Retry-After). */
const startingRetryAfterSeconds = 5;

const startingMessage = 'Rounds is starting. Please try again in a few seconds.';

// No stylesheet or script: /static is not served yet either. Framing stays allowed so an LMS iframe shows it.
const startingPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Starting · Rounds</title>
</head>
<body>
  <main>
    <h1>Rounds is starting</h1>
    <p>It will be ready in a few seconds. <a href="">Try again</a></p>
    <p>Error 503</p>
  </main>
</body>
</html>
`;

/** JSON when the client asks for it and not for a page, as the app's error handler decides once it runs. */
function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return /json/i.test(accept) && !/text\/html/i.test(accept);
}

/** 503 + Retry-After for any request: `/healthz` says "starting", others get a short page or JSON by Accept. */
function answerStarting(req: IncomingMessage, res: ServerResponse): void {
  const isHealth = (req.url ?? '').split('?')[0] === '/healthz';
  const json = isHealth || wantsJson(req);
  const body = isHealth
    ? JSON.stringify({ status: 'starting' })
    : json
      ? JSON.stringify({ error: { code: 'starting', message: startingMessage } })
      : startingPage;
  res.writeHead(503, {
    'Retry-After': String(startingRetryAfterSeconds),
    'Cache-Control': 'no-store',
    'Content-Type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  // Node leaves the body out for HEAD.
  res.end(body);
}

/**
 * The HTTP server's one request listener from the moment it listens: until `open(app)`, every request is answered
 * at once with 503 (a load balancer's health check or a user's reload during boot never hangs); afterwards every
 * request goes to the app.
 */
export interface BootGate {
  listener: RequestListener;
  open(app: RequestListener): void;
}

function createBootGate(): BootGate {
  let app: RequestListener | undefined;
  return {
    listener: (req, res) => (app ? app(req, res) : answerStarting(req, res)),
    open: (readyApp) => {
      app = readyApp;
    },
  };
}

/** Creates the HTTP server behind a boot gate and listens; resolves once it is listening. */
export async function listenBehindGate(
  port: number,
  host: string,
): Promise<{ server: Server; gate: BootGate }> {
  const gate = createBootGate();
  const server = createServer(gate.listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, gate };
}
