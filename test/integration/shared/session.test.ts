import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import request from 'supertest';
import { loadConfig } from '../../../src/config';
import type { Actor } from '../../../src/shared/auth/actor';
import { SessionModel } from '../../../src/shared/auth/session.model';
import { resumeSession, startSession } from '../../../src/shared/auth/session.service';
import { sessionCookieName, sessionCookieOptions } from '../../../src/shared/http/session';
import { sweepExpired } from '../../../src/shared/sweeper';
import { openForm, sessionTokenOf, setCookies, signedInAs, useTestRounds, type Agent } from '../../support';

// Sessions (finding 9 of the security review, and the expiry claims of finding 14): an idle and an absolute
// lifetime, swept when over; a new launch in the same browser ends the old session; __Host- and Secure cookies.

const rounds = useTestRounds();

const lifetime = { idleHours: 8, absoluteHours: 12 };
const t0 = DateTime.fromISO('2030-03-04T08:00:00Z', { zone: 'utc' });

function someActor(): Actor {
  const id = () => new mongoose.Types.ObjectId().toString();
  return {
    tenantId: id(),
    userId: id(),
    courseId: id(),
    role: 'learner',
    name: 'Nora',
    courseTitle: 'Ward 4',
  };
}

/** The stored session behind a cookie token (only its SHA-256 is stored). */
function storedSession(token: string) {
  return { tokenHash: createHash('sha256').update(token).digest('hex') };
}

function home(token: string) {
  return request(rounds.url).get('/home').set('Cookie', `rounds_session=${token}`);
}

describe('how long a session lives (8 h idle, 12 h absolute; clock frozen)', () => {
  it('when a session is used within 8 hours, then it resumes, and each use moves the idle deadline', async () => {
    const token = await startSession(someActor(), lifetime, t0);
    expect(await resumeSession(token, lifetime, t0.plus({ hours: 7, minutes: 59 }))).toBeDefined();
    expect(await resumeSession(token, lifetime, t0.plus({ hours: 11 }))).toBeDefined();
  });

  it('when a session has not been used for 8 hours, then it no longer resumes', async () => {
    const token = await startSession(someActor(), lifetime, t0);
    expect(await resumeSession(token, lifetime, t0.plus({ hours: 8, minutes: 1 }))).toBeUndefined();
  });

  it('when a session is used every 3 hours, then it still ends 12 hours after sign-in', async () => {
    const token = await startSession(someActor(), lifetime, t0);
    for (const hours of [3, 6, 9, 11.9]) {
      expect(await resumeSession(token, lifetime, t0.plus({ hours }))).toBeDefined();
    }
    expect(await resumeSession(token, lifetime, t0.plus({ hours: 12, minutes: 1 }))).toBeUndefined();
  });

  it('when the sweeper runs, then it deletes sessions past their idle or absolute deadline and keeps live ones', async () => {
    const idle = await startSession(someActor(), lifetime, t0);
    const busy = await startSession(someActor(), lifetime, t0);
    await resumeSession(busy, lifetime, t0.plus({ hours: 7 }));
    const stored = () =>
      SessionModel.countDocuments({
        tokenHash: { $in: [storedSession(idle), storedSession(busy)].map((session) => session.tokenHash) },
      });
    expect(await stored()).toBe(2);

    await sweepExpired(t0.plus({ hours: 8, minutes: 1 }).toJSDate());
    expect(await stored()).toBe(1);
    expect(await resumeSession(busy, lifetime, t0.plus({ hours: 8, minutes: 2 }))).toBeDefined();
    expect(await resumeSession(idle, lifetime, t0.plus({ hours: 7 }))).toBeUndefined();

    // Used 5 hours ago, so idle-wise alive: the absolute lifetime is what ends it.
    await sweepExpired(t0.plus({ hours: 12, minutes: 1 }).toJSDate());
    expect(await stored()).toBe(0);
  });
});

describe('sessions over HTTP', () => {
  it("when a session's idle deadline has passed, then its cookie no longer opens /home", async () => {
    const { launch } = await signedInAs(rounds, 'nurse');
    const token = sessionTokenOf(launch)!;
    await home(token).expect(200);
    const longAgo = DateTime.utc().minus({ hours: 8, minutes: 1 });
    await SessionModel.updateOne(storedSession(token), {
      $set: { lastSeenAt: longAgo.toJSDate(), expiresAt: longAgo.plus({ hours: 8 }).toJSDate() },
    });
    await home(token).expect(401);
  });

  it('when a session was started more than 12 hours ago, then /home refuses it even though it was used a minute ago', async () => {
    const { launch } = await signedInAs(rounds, 'nurse');
    const token = sessionTokenOf(launch)!;
    const now = DateTime.utc();
    await SessionModel.updateOne(storedSession(token), {
      $set: {
        createdAt: now.minus({ hours: 12, minutes: 1 }).toJSDate(),
        lastSeenAt: now.minus({ minutes: 1 }).toJSDate(),
        expiresAt: now.plus({ hours: 7 }).toJSDate(),
      },
    });
    await home(token).expect(401);
  });

  it('when the same browser launches again, then the previous session ends and only the new one works', async () => {
    const { agent, launch } = await signedInAs(rounds, 'nurse');
    const first = sessionTokenOf(launch)!;
    // The same browser (agent, with its cookies) launches again from the course page.
    const second = sessionTokenOf((await signedInAs(rounds, 'mentor', { agent })).launch)!;
    expect(second).not.toBe(first);
    await home(first).expect(401);
    expect((await home(second).expect(200)).text).toContain('Welcome, Elena');
  });

  it('when two browsers hold sessions, then a sign-out token from one is refused (403) in the other', async () => {
    const a = await signedInAs(rounds, 'nurse');
    const b = await signedInAs(rounds, 'nurse');
    const tokenA = (await openForm(a.agent, '/home')).csrf;
    const tokenB = (await openForm(b.agent, '/home')).csrf;
    expect(tokenA).not.toBe(tokenB);
    const signOut = (agent: Agent, csrf: string) =>
      agent.post('/signout').type('form').set('Sec-Fetch-Site', 'same-origin').send({ _csrf: csrf });
    expect((await signOut(b.agent, tokenA)).status).toBe(403);
    await b.agent.get('/home').expect(200);
    expect((await signOut(b.agent, tokenB)).status).toBe(303);
    await b.agent.get('/home').expect(401);
  });

  it('when the deep-linking picker is posted without _csrf, then it answers 403 and nothing is placed', async () => {
    const { agent, launch } = await signedInAs(rounds, 'mentor', { deepLinking: true });
    const pickerPath = launch.headers.location!;
    const { csrf } = await openForm(agent, pickerPath);
    const fields = { action: 'place', targets: 'module:burnout-basics' };
    const refused = await agent.post(pickerPath).type('form').set('Accept', 'text/html').send(fields);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('Returning to your course');
    const accepted = await agent
      .post(pickerPath)
      .type('form')
      .send({ _csrf: csrf, ...fields });
    expect(accepted.status).toBe(200);
  });
});

describe('the session cookie', () => {
  it('when Rounds runs on plain http without cross-site cookies, then the cookie is rounds_session, HttpOnly, Lax, Path=/ and not Secure', async () => {
    const { launch } = await signedInAs(rounds, 'nurse');
    const cookie = setCookies(launch);
    expect(cookie).toMatch(/(^|;)rounds_session=[\w-]+;/);
    for (const attribute of ['Max-Age=43200', 'Path=/', 'HttpOnly', 'SameSite=Lax']) {
      expect(cookie).toContain(`; ${attribute}`);
    }
    expect(cookie).not.toMatch(/Secure/);
  });

  it('when PUBLIC_URL is https, then the cookie is __Host-rounds_session and Secure even with CROSS_SITE_COOKIES=false', () => {
    const config = loadConfig({ publicUrl: 'https://rounds.example.org', crossSiteCookies: false });
    expect(sessionCookieName(config)).toBe('__Host-rounds_session');
    expect(sessionCookieOptions(config)).toMatchObject({ secure: true, path: '/', sameSite: 'lax' });
    expect(sessionCookieOptions(config)).not.toHaveProperty('domain');
  });

  it('when cross-site cookies are on, then the cookie is __Host-rounds_session, Secure, SameSite=None and Partitioned', () => {
    const config = loadConfig({ publicUrl: 'http://127.0.0.1:3000', crossSiteCookies: true });
    expect(sessionCookieName(config)).toBe('__Host-rounds_session');
    expect(sessionCookieOptions(config)).toMatchObject({
      secure: true,
      path: '/',
      sameSite: 'none',
      partitioned: true,
    });
  });
});
