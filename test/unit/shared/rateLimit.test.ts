import { createRateLimiter } from '../../../src/shared/http/rateLimit';

const minute = 60_000;
const start = Date.UTC(2025, 0, 1, 9, 0, 0);

describe('the in-memory rate limiter', () => {
  it('when a key makes one request more than its limit in a window, then that one is refused with the seconds left', () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: minute });
    for (let i = 0; i < 3; i += 1) expect(limiter.hit('a', start + i * 1000).allowed).toBe(true);
    expect(limiter.hit('a', start + 20_500)).toEqual({ allowed: false, retryAfterSeconds: 40 });
  });

  it('when its window has passed, then the key may make requests again', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: minute });
    expect(limiter.hit('a', start).allowed).toBe(true);
    expect(limiter.hit('a', start + minute - 1).allowed).toBe(false);
    expect(limiter.hit('a', start + minute).allowed).toBe(true);
  });

  it('when one key is over its limit, then other keys are not', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: minute });
    limiter.hit('a', start);
    expect(limiter.hit('a', start).allowed).toBe(false);
    expect(limiter.hit('b', start).allowed).toBe(true);
  });

  it('when more keys arrive than it may hold, then it forgets the oldest window and never grows past the cap', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: minute, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) limiter.hit(key, start);
    expect(limiter.hit('a', start + 1).allowed).toBe(false);
    for (let i = 0; i < 100; i += 1) limiter.hit(`flood-${i}`, start + 2);
    expect(limiter.size).toBe(3);
    // The flood pushed out a, b and c; the newest keys are still counted.
    expect(limiter.hit('flood-99', start + 3).allowed).toBe(false);
  });

  it('when a window restarts, then that key counts as the newest and is evicted last', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: minute, maxKeys: 2 });
    limiter.hit('a', start);
    limiter.hit('b', start + 1000);
    limiter.hit('a', start + minute); // a's second window, newer than b's
    limiter.hit('c', start + minute + 1);
    expect(limiter.hit('a', start + minute + 2).allowed).toBe(false);
    expect(limiter.hit('b', start + minute + 3).allowed).toBe(true);
  });
});
