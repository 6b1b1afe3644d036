import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, currentEnvironment, loadConfig } from '../../../src/config';

// Boot-time configuration (findings 8 and 12 of the security review): an unknown NODE_ENV stops boot instead of
// running as development, and the local data folder is the owner's alone.

const savedNodeEnv = process.env.NODE_ENV;
let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'rounds-config-'));
});

afterEach(() => {
  process.env.NODE_ENV = savedNodeEnv;
  rmSync(scratch, { recursive: true, force: true });
});

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('NODE_ENV', () => {
  it.each(['staging', 'prod', 'Production', 'dev'])(
    'when NODE_ENV is "%s", then loading the configuration stops with a message naming NODE_ENV',
    (value) => {
      process.env.NODE_ENV = value;
      expect(() => loadConfig()).toThrow(ConfigError);
      expect(() => loadConfig()).toThrow(
        `NODE_ENV is invalid: "${value}" is not one of development, test, production`,
      );
    },
  );

  it.each(['development', 'test', 'production'] as const)(
    'when NODE_ENV is %s, then that is the environment',
    (value) => {
      process.env.NODE_ENV = value;
      expect(currentEnvironment()).toBe(value);
    },
  );

  it('when NODE_ENV is unset, then the environment is development', () => {
    delete process.env.NODE_ENV;
    expect(currentEnvironment()).toBe('development');
  });
});

describe('NODE_ENV left unset on a server others reach (security review follow-up)', () => {
  // node-config reads its files once, for the NODE_ENV it first sees: let that be the suite's own (test).
  beforeAll(() => loadConfig());

  const secrets = {
    ltiEncryptionKey: 'x'.repeat(32),
    sessionSecret: 'y'.repeat(32),
  };

  it('when PUBLIC_URL is a public https origin, then boot stops and asks for NODE_ENV', () => {
    delete process.env.NODE_ENV;
    expect(() => loadConfig({ ...secrets, publicUrl: 'https://rounds.example.org' })).toThrow(
      'NODE_ENV is not set but PUBLIC_URL (https://rounds.example.org) is not a local address',
    );
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:3000', ''])(
    'when PUBLIC_URL is %p, then development starts as before',
    (publicUrl) => {
      delete process.env.NODE_ENV;
      expect(loadConfig({ ...secrets, publicUrl, dataDir: scratch }).env).toBe('development');
    },
  );
});

describe('which proxies are believed (TRUST_PROXY)', () => {
  it.each([
    ['loopback', 'loopback'],
    ['1', 1],
    ['false', false],
    ['10.0.0.5, loopback', '10.0.0.5, loopback'],
  ] as const)('when TRUST_PROXY is %p, then express is given %p', (value, expected) => {
    expect(loadConfig({ trustProxy: value }).trustProxy).toEqual(expected);
  });

  it('when nothing sets it, then only loopback is believed (not the private ranges anyone inside could use)', () => {
    expect(loadConfig().trustProxy).toBe('loopback');
  });

  it('when it is not a proxy setting, then boot stops naming TRUST_PROXY', () => {
    expect(() => loadConfig({ trustProxy: 'everyone; rm -rf' })).toThrow('TRUST_PROXY is invalid');
  });
});

describe('security settings in the config files', () => {
  it('when nothing overrides them, then the documented defaults apply (tests raise the rate limits)', () => {
    expect(loadConfig()).toMatchObject({
      sessionAbsoluteHours: 12,
      auditRetentionDays: 365,
      loginRateLimitPerMinute: 100000,
      registrationRateLimitPerHour: 100000,
      maxPendingRegistrations: 20,
      pendingRegistrationDays: 7,
    });
  });

  it.each([
    ['sessionAbsoluteHours', 0],
    ['auditRetentionDays', 0.5],
    ['loginRateLimitPerMinute', 'many'],
    ['registrationRateLimitPerHour', -1],
    ['maxPendingRegistrations', 0],
    ['pendingRegistrationDays', 0],
  ])('when %s is %p, then boot stops naming it', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(`${key} (config file) is invalid`);
  });
});

describe('the local data folder', () => {
  it('when development creates it for its secrets, then the folder is 0700 and secrets.json 0600', () => {
    const dataDir = path.join(scratch, 'data');
    loadConfig({ dataDir, ltiEncryptionKey: '', sessionSecret: '' });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'secrets.json'))).toBe(0o600);
  });

  it('when the folder already exists readable by others, then loading the configuration narrows it to 0700', () => {
    const dataDir = path.join(scratch, 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    loadConfig({ dataDir, ltiEncryptionKey: '', sessionSecret: '' });
    expect(modeOf(dataDir)).toBe(0o700);
    // The secrets made on the first run are kept on the next.
    const first = loadConfig({ dataDir, ltiEncryptionKey: '', sessionSecret: '' });
    expect(loadConfig({ dataDir, ltiEncryptionKey: '', sessionSecret: '' }).sessionSecret).toBe(
      first.sessionSecret,
    );
  });

  it('when a secrets file from an older Rounds lacks the well-being key, then it is added and the others kept', () => {
    const dataDir = path.join(scratch, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const older = { ltiEncryptionKey: 'a'.repeat(64), sessionSecret: 'b'.repeat(64) };
    writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify(older), { mode: 0o600 });
    const config = loadConfig({ dataDir, ltiEncryptionKey: '', sessionSecret: '', wellbeingKey: '' });
    expect(config.sessionSecret).toBe(older.sessionSecret);
    expect(config.wellbeingKey).toMatch(/^[0-9a-f]{64}$/);
    expect(
      loadConfig({ dataDir, ltiEncryptionKey: '', sessionSecret: '', wellbeingKey: '' }).wellbeingKey,
    ).toBe(config.wellbeingKey);
  });

  it('when every secret comes from the environment, then no data folder is created', () => {
    const dataDir = path.join(scratch, 'unused');
    loadConfig({ dataDir });
    expect(existsSync(dataDir)).toBe(false);
  });
});
