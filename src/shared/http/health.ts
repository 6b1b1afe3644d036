import { Router } from 'express';
import mongoose from 'mongoose';

/** How long /readyz waits for the database before calling it unavailable. */
const pingTimeoutMs = 2000;

async function databaseAnswers(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), pingTimeoutMs);
  });
  try {
    const ping = db
      .admin()
      .command({ ping: 1 })
      .then((reply) => reply.ok === 1)
      .catch(() => false);
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: the process is up. `/readyz`: the database answers too (503 otherwise), for load balancers. Before
 * the app is built neither runs: the boot gate (starting.ts) answers 503 `{status:'starting'}` instead.
 */
export function healthRouter(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await databaseAnswers();
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', database: ready ? 'up' : 'down' });
  });
  return router;
}
