import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { OutboxJobModel, type OutboxJob } from '../../src/lti/services/outbox.model';
import type { Rounds } from '../../src/runtime';
import { SandboxScore } from '../../src/sandbox/sandbox.model';
import { CourseModel } from '../../src/tenancy/course.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
import { UserModel } from '../../src/tenancy/user.model';
import type { Agent } from './launch';

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The sandbox course as Rounds recorded it after a launch: tenant and course ids, and a user's id by Moodle id. */
export async function sandboxCourseIn(rounds: Rounds) {
  const tenant = await TenantModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
  if (!tenant) throw new Error('no tenant for the sandbox yet: launch first');
  const course = await CourseModel.findOne({
    tenantId: tenant._id,
    contextId: rounds.sandbox!.course.contextId,
  }).lean();
  if (!course) throw new Error('no sandbox course yet: launch first');
  return {
    tenantId: String(tenant._id),
    courseId: String(course._id),
    async userId(subject: string): Promise<string> {
      const user = await UserModel.findOne({ tenantId: tenant._id, subject }).lean();
      if (!user) throw new Error(`no user ${subject} in Rounds`);
      return String(user._id);
    },
  };
}

/** One outbox job, as stored. */
export async function outboxJob(jobId: string): Promise<OutboxJob> {
  const job = (await OutboxJobModel.findById(jobId).lean()) as OutboxJob | null;
  if (!job) throw new Error(`no outbox job ${jobId}`);
  return job;
}

/** Waits until a job reaches `status`, and returns it. */
export async function jobReaches(jobId: string, status: string, timeoutMs?: number): Promise<OutboxJob> {
  return waitFor<OutboxJob | undefined>(
    `job ${jobId} to be ${status}`,
    async () => {
      const job = await outboxJob(jobId);
      return job.status === status ? job : undefined;
    },
    timeoutMs,
  ) as Promise<OutboxJob>;
}

/** Scores the sandbox LMS received (every POST is kept), optionally for one Moodle user. */
export async function sandboxScores(rounds: Rounds, userId?: string) {
  return SandboxScore.find({ issuer: rounds.sandbox!.issuer, ...(userId ? { userId } : {}) })
    .sort({ receivedAt: 1 })
    .lean();
}

/** The CSRF token of a page's forms. */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}

/** Opens /admin/outbox as the signed-in agent and returns the page and its form token. */
export async function openOutboxPage(agent: Agent) {
  const page = await agent.get('/admin/outbox').expect(200);
  return { html: page.text, csrf: csrfTokenIn(page.text) };
}

/** A database of this test file's own on the worker's test server (so it can be restarted on). */
export function ownDatabaseUri(baseUri: string, suffix: string): string {
  return baseUri.replace(/\/([^/?]+)(\?|$)/, `/$1_${suffix}$2`);
}

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
