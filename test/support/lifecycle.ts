/**
 * Starts something before a test file's tests (beforeAll) and stops it after them (afterAll), and returns a
 * stand-in that reads through to it once started, so a test file writes `const rounds = useTestRounds()` at the
 * top instead of a `let` and two hooks. Reading it before beforeAll has run fails with `name` in the message.
 */
export function useStarted<T extends object>(
  name: string,
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started) await stop(started);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!started)
        throw new Error(`${name} is not started yet; read ${name}.${String(key)} in a test or hook`);
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}
