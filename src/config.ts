import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** The repository root: the nearest folder above this file that holds package.json (works from src/ and dist/). */
export const projectRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
})();

export type Environment = 'development' | 'test' | 'production';

const booleanLike = z.preprocess((value) => {
  if (typeof value === 'string') return ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
  if (typeof value === 'number') return value !== 0;
  return value;
}, z.boolean());

const settingsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  publicUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  mongodbUri: z.union([
    z.literal(''),
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb://'),
  ]),
  ltiEncryptionKey: z.union([z.literal(''), z.string().min(32, 'must be at least 32 characters')]),
  sessionSecret: z.union([z.literal(''), z.string().min(32, 'must be at least 32 characters')]),
  wellbeingKey: z.union([z.literal(''), z.string().min(32, 'must be at least 32 characters')]),
  wellbeingKeysUri: z.union([
    z.literal(''),
    z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb://'),
  ]),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  sandbox: booleanLike,
  sandboxDemoData: booleanLike,
  dataDir: z.string().min(1),
  sessionIdleHours: z.coerce.number().positive(),
  sweepIntervalSeconds: z.coerce.number().positive(),
  databaseTimeoutSeconds: z.coerce.number().positive(),
  ltiClockSkewSeconds: z.coerce.number().int().min(0).max(600),
  ltiTokenMaxAgeSeconds: z.coerce.number().int().min(10).max(3600),
  crossSiteCookies: z.union([z.literal('auto'), booleanLike]),
  sandboxHost: z.union([z.literal(''), z.string().regex(/^[a-z0-9.-]+$/i, 'must be a host name')]),
  trustProxy: z.string().transform((value, context) => {
    const trust = parseTrustProxy(value);
    if (trust === undefined) {
      context.addIssue({
        code: 'custom',
        message:
          'must be a number of proxies, false, or addresses/subnets and loopback/linklocal/uniquelocal',
      });
      return z.NEVER;
    }
    return trust;
  }),
  toolKeyRetirementHours: z.coerce.number().positive(),
  outboxPollMilliseconds: z.coerce.number().int().min(10),
  outboxLeaseSeconds: z.coerce.number().int().min(5),
  outboxMaxAttempts: z.coerce.number().int().min(1),
  outboxRetryBaseMilliseconds: z.coerce.number().int().min(1),
  outboxRetryMaxMilliseconds: z.coerce.number().int().min(1),
  nrpsPageSize: z.coerce.number().int().min(1).max(1000),
  sessionAbsoluteHours: z.coerce.number().positive(),
  auditRetentionDays: z.coerce.number().int().min(1),
  loginRateLimitPerMinute: z.coerce.number().int().min(1),
  registrationRateLimitPerHour: z.coerce.number().int().min(1),
  maxPendingRegistrations: z.coerce.number().int().min(1),
  pendingRegistrationDays: z.coerce.number().positive(),
  accountLinkDays: z.coerce.number().positive(),
  cohortRosterSyncHours: z.coerce.number().positive(),
  mentorInvitationDays: z.coerce.number().positive(),
  cmeExportInlineMaxRows: z.coerce.number().int().min(1),
  cmeExportKeepHours: z.coerce.number().positive(),
  cmeExportSettleSeconds: z.coerce.number().int().min(0).max(3600),
  signinFailuresBeforeLock: z.coerce.number().int().min(1),
  signinLockMinutes: z.coerce.number().positive(),
  signinAddressLimitPer15Minutes: z.coerce.number().int().min(1),
});

/** The environment variable each setting comes from, for error messages that name what to fix. */
const variableOf: Record<keyof z.infer<typeof settingsSchema>, string> = {
  port: 'PORT',
  host: 'HOST',
  publicUrl: 'PUBLIC_URL',
  mongodbUri: 'MONGODB_URI',
  ltiEncryptionKey: 'LTI_ENCRYPTION_KEY',
  wellbeingKey: 'WELLBEING_KEY',
  wellbeingKeysUri: 'WELLBEING_KEYS_URI',
  sessionSecret: 'SESSION_SECRET',
  logLevel: 'LOG_LEVEL',
  sandbox: 'SANDBOX',
  sandboxDemoData: 'SANDBOX_DEMO_DATA',
  dataDir: 'ROUNDS_DATA_DIR',
  sessionIdleHours: 'sessionIdleHours (config file)',
  sweepIntervalSeconds: 'sweepIntervalSeconds (config file)',
  databaseTimeoutSeconds: 'databaseTimeoutSeconds (config file)',
  ltiClockSkewSeconds: 'ltiClockSkewSeconds (config file)',
  ltiTokenMaxAgeSeconds: 'ltiTokenMaxAgeSeconds (config file)',
  crossSiteCookies: 'CROSS_SITE_COOKIES',
  sandboxHost: 'SANDBOX_HOST',
  trustProxy: 'TRUST_PROXY',
  toolKeyRetirementHours: 'toolKeyRetirementHours (config file)',
  outboxPollMilliseconds: 'outboxPollMilliseconds (config file)',
  outboxLeaseSeconds: 'outboxLeaseSeconds (config file)',
  outboxMaxAttempts: 'outboxMaxAttempts (config file)',
  outboxRetryBaseMilliseconds: 'outboxRetryBaseMilliseconds (config file)',
  outboxRetryMaxMilliseconds: 'outboxRetryMaxMilliseconds (config file)',
  nrpsPageSize: 'nrpsPageSize (config file)',
  sessionAbsoluteHours: 'sessionAbsoluteHours (config file)',
  auditRetentionDays: 'auditRetentionDays (config file)',
  loginRateLimitPerMinute: 'loginRateLimitPerMinute (config file)',
  registrationRateLimitPerHour: 'registrationRateLimitPerHour (config file)',
  maxPendingRegistrations: 'maxPendingRegistrations (config file)',
  pendingRegistrationDays: 'pendingRegistrationDays (config file)',
  accountLinkDays: 'accountLinkDays (config file)',
  cohortRosterSyncHours: 'cohortRosterSyncHours (config file)',
  mentorInvitationDays: 'mentorInvitationDays (config file)',
  cmeExportInlineMaxRows: 'CME_EXPORT_INLINE_MAX_ROWS',
  cmeExportKeepHours: 'cmeExportKeepHours (config file)',
  cmeExportSettleSeconds: 'cmeExportSettleSeconds (config file)',
  signinFailuresBeforeLock: 'signinFailuresBeforeLock (config file)',
  signinLockMinutes: 'signinLockMinutes (config file)',
  signinAddressLimitPer15Minutes: 'signinAddressLimitPer15Minutes (config file)',
};

export interface Config {
  readonly env: Environment;
  readonly port: number;
  /** Interface to listen on: loopback in development and tests, all interfaces in a container. */
  readonly host: string;
  /** Origin Rounds is reached at, without a trailing slash (e.g. https://rounds.example.org). */
  readonly publicUrl: string;
  /** Empty when Rounds should start its embedded database (never in production). */
  readonly mongodbUri: string;
  readonly ltiEncryptionKey: string;
  readonly sessionSecret: string;
  /**
   * Seals each learner's well-being data key (self-check results, issue 10). Losing it makes every stored
   * self-check unreadable; changing it needs a re-seal of the data keys.
   */
  readonly wellbeingKey: string;
  /**
   * A database of its own for learners' sealed data keys (empty: Rounds' own). Backed up on a short schedule, it
   * makes a deleted learner's results unreadable in the main database's older backups too.
   */
  readonly wellbeingKeysUri: string;
  readonly logLevel: string;
  readonly sandbox: boolean;
  /** With the sandbox: seed its course with demo cohorts (a mentoring cohort and a peer circle) at boot. */
  readonly sandboxDemoData: boolean;
  /** Absolute path of the folder for local state (embedded database, dev secrets, its address). */
  readonly dataDir: string;
  readonly sessionIdleHours: number;
  readonly sweepIntervalSeconds: number;
  readonly databaseTimeoutSeconds: number;
  /** How far an id_token's `iat` may be ahead of our clock (the LMS's clock drifts). */
  readonly ltiClockSkewSeconds: number;
  /** The oldest id_token (by `iat`) Rounds accepts; also ltijs' `tokenMaxAge`. */
  readonly ltiTokenMaxAgeSeconds: number;
  /**
   * Cookies as a cross-site LMS iframe needs them: `SameSite=None; Secure; Partitioned`. On by default over https;
   * Chromium also keeps Secure cookies on http://localhost and 127.0.0.1, so it can be forced on there for testing.
   */
  readonly crossSiteCookies: boolean;
  /** Host name the sandbox LMS uses in its own URLs (empty: Rounds' host), to make it cross-site from Rounds. */
  readonly sandboxHost: string;
  /**
   * Which hops' X-Forwarded-For Rounds believes (express `trust proxy`): the client address rate limits key on.
   * `loopback` by default; behind one reverse proxy `1`. Trusting whole private ranges would let anyone inside
   * them name any address.
   */
  readonly trustProxy: string | number | false;
  /** How long a replaced tool signing key stays published at /lti/keys after `keys rotate`. */
  readonly toolKeyRetirementHours: number;
  /** How often the outbox worker looks for due jobs when it found none. */
  readonly outboxPollMilliseconds: number;
  /** How long a worker holds a job; a job whose lease ran out (its worker died) is taken up again. */
  readonly outboxLeaseSeconds: number;
  /** Attempts before a job that keeps failing on network errors, 5xx or 429 is parked for an admin. */
  readonly outboxMaxAttempts: number;
  /** First retry delay; doubled each attempt, with jitter, up to outboxRetryMaxMilliseconds. */
  readonly outboxRetryBaseMilliseconds: number;
  /** Longest retry delay, also the most of a Retry-After Rounds waits for. */
  readonly outboxRetryMaxMilliseconds: number;
  /** Members asked for per roster page (NRPS `limit`); the LMS may send fewer. */
  readonly nrpsPageSize: number;
  /** A session's absolute lifetime, however active it stays (a stolen token does not live forever). */
  readonly sessionAbsoluteHours: number;
  /** How long rolled-up refusal audit lines (count per reason per hour) are kept. */
  readonly auditRetentionDays: number;
  /** LTI login initiations and refused launches allowed per client address + issuer per minute. */
  readonly loginRateLimitPerMinute: number;
  /** Dynamic Registration attempts allowed per client address per hour. */
  readonly registrationRateLimitPerHour: number;
  /** Most inactive, not-yet-approved platforms Dynamic Registration may leave waiting at once. */
  readonly maxPendingRegistrations: number;
  /** An unapproved registration is removed after this many days. */
  readonly pendingRegistrationDays: number;
  /** How long a set-password, reset or invitation link stays valid (issue 11). */
  readonly accountLinkDays: number;
  /** How often the course rosters of running cohorts are synced from the LMS (NRPS); 24 = nightly. */
  readonly cohortRosterSyncHours: number;
  /** How long an external mentor's invitation link stays valid (issue 12: 7 days). */
  readonly mentorInvitationDays: number;
  /** CME exports selecting more ledger entries than this run as background jobs (issue 14: 50,000). */
  readonly cmeExportInlineMaxRows: number;
  /** How long a background export's file is kept for download (issue 14: 24 hours). */
  readonly cmeExportKeepHours: number;
  /**
   * An export reads the data recorded up to this many seconds before it was asked for (default 60): a claim or
   * profile save stamped just before the request but stored just after would otherwise be in every re-creation of
   * the file and not in the file itself ("Re-create and verify" would say it does not match).
   */
  readonly cmeExportSettleSeconds: number;
  /** Failed sign-ins for one e-mail within signinLockMinutes that lock it for signinLockMinutes. */
  readonly signinFailuresBeforeLock: number;
  readonly signinLockMinutes: number;
  /** Sign-in attempts allowed per client address per 15 minutes, whatever the e-mail. */
  readonly signinAddressLimitPer15Minutes: number;
}

/** A configuration problem that must stop boot; its message names the variable to fix. */
export class ConfigError extends Error {}

const environments: readonly Environment[] = ['development', 'test', 'production'];

/**
 * The deployment environment, read from NODE_ENV (the node-config convention); unset means development. Any other
 * value stops boot: `staging` silently running as development would switch on the sandbox and stack traces.
 */
export function currentEnvironment(): Environment {
  const value = process.env.NODE_ENV || 'development';
  if ((environments as readonly string[]).includes(value)) return value as Environment;
  throw new ConfigError(`NODE_ENV is invalid: "${value}" is not one of ${environments.join(', ')}`);
}

/**
 * Builds the one frozen configuration object from config/*.json and the environment (via node-config),
 * validated with zod. Development generates secrets once under data/ so restarts keep sessions and keys.
 */
export function loadConfig(overrides: Partial<Record<keyof typeof variableOf, unknown>> = {}): Config {
  // First: node-config would otherwise read config/<NODE_ENV>.json for whatever NODE_ENV says.
  const env = currentEnvironment();
  // Imported lazily so that merely importing this module (e.g. for projectRoot) does not read config files.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeConfig = require('config') as { util: { toObject(): Record<string, unknown> } };
  const raw = { ...nodeConfig.util.toObject(), ...overrides };
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]) as keyof typeof variableOf;
    throw new ConfigError(`${variableOf[key] ?? key} is invalid: ${issue.message}`);
  }
  const settings = parsed.data;
  if (!process.env.NODE_ENV && settings.publicUrl && !isLocalUrl(settings.publicUrl)) {
    // A server reachable by others that forgot NODE_ENV would run as development: sandbox, stack traces.
    throw new ConfigError(
      `NODE_ENV is not set but PUBLIC_URL (${settings.publicUrl}) is not a local address: set NODE_ENV=production (or development explicitly)`,
    );
  }
  const dataDir = path.resolve(projectRoot, settings.dataDir);

  if (env === 'production') {
    for (const key of [
      'mongodbUri',
      'ltiEncryptionKey',
      'sessionSecret',
      'wellbeingKey',
      'publicUrl',
    ] as const) {
      if (!settings[key]) throw new ConfigError(`${variableOf[key]} is required in production`);
    }
    if (settings.sandbox) throw new ConfigError('SANDBOX cannot be enabled in production');
  }

  const secrets = secretNames.every((name) => settings[name])
    ? pickSet(settings)
    : { ...readOrCreateDevSecrets(dataDir), ...pickSet(settings) };

  const publicUrl = (settings.publicUrl || `http://localhost:${settings.port}`).replace(/\/+$/, '');
  return Object.freeze({
    env,
    port: settings.port,
    host: settings.host,
    publicUrl,
    mongodbUri: settings.mongodbUri,
    ltiEncryptionKey: secrets.ltiEncryptionKey,
    sessionSecret: secrets.sessionSecret,
    wellbeingKey: secrets.wellbeingKey,
    wellbeingKeysUri: settings.wellbeingKeysUri,
    logLevel: settings.logLevel,
    sandbox: settings.sandbox,
    sandboxDemoData: settings.sandboxDemoData,
    dataDir,
    sessionIdleHours: settings.sessionIdleHours,
    sweepIntervalSeconds: settings.sweepIntervalSeconds,
    databaseTimeoutSeconds: settings.databaseTimeoutSeconds,
    ltiClockSkewSeconds: settings.ltiClockSkewSeconds,
    ltiTokenMaxAgeSeconds: settings.ltiTokenMaxAgeSeconds,
    crossSiteCookies:
      settings.crossSiteCookies === 'auto' ? publicUrl.startsWith('https://') : settings.crossSiteCookies,
    sandboxHost: settings.sandboxHost,
    trustProxy: settings.trustProxy,
    toolKeyRetirementHours: settings.toolKeyRetirementHours,
    outboxPollMilliseconds: settings.outboxPollMilliseconds,
    outboxLeaseSeconds: settings.outboxLeaseSeconds,
    outboxMaxAttempts: settings.outboxMaxAttempts,
    outboxRetryBaseMilliseconds: settings.outboxRetryBaseMilliseconds,
    outboxRetryMaxMilliseconds: settings.outboxRetryMaxMilliseconds,
    nrpsPageSize: settings.nrpsPageSize,
    sessionAbsoluteHours: settings.sessionAbsoluteHours,
    auditRetentionDays: settings.auditRetentionDays,
    loginRateLimitPerMinute: settings.loginRateLimitPerMinute,
    registrationRateLimitPerHour: settings.registrationRateLimitPerHour,
    maxPendingRegistrations: settings.maxPendingRegistrations,
    pendingRegistrationDays: settings.pendingRegistrationDays,
    accountLinkDays: settings.accountLinkDays,
    cohortRosterSyncHours: settings.cohortRosterSyncHours,
    mentorInvitationDays: settings.mentorInvitationDays,
    cmeExportInlineMaxRows: settings.cmeExportInlineMaxRows,
    cmeExportKeepHours: settings.cmeExportKeepHours,
    cmeExportSettleSeconds: settings.cmeExportSettleSeconds,
    signinFailuresBeforeLock: settings.signinFailuresBeforeLock,
    signinLockMinutes: settings.signinLockMinutes,
    signinAddressLimitPer15Minutes: settings.signinAddressLimitPer15Minutes,
  });
}

const secretNames = ['ltiEncryptionKey', 'sessionSecret', 'wellbeingKey'] as const;
type Secrets = Record<(typeof secretNames)[number], string>;

/** The secrets the settings set (the others stay as read from the dev secrets file). */
function pickSet(settings: Secrets): Secrets {
  const chosen: Partial<Secrets> = {};
  for (const name of secretNames) if (settings[name]) chosen[name] = settings[name];
  return chosen as Secrets;
}

/**
 * Creates the local data folder readable by its owner only (0700), and narrows one that already exists: it holds
 * the dev secrets and the embedded database's files, which must not be readable by other users of the machine.
 */
export function ensurePrivateDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
  } catch (error) {
    throw new ConfigError(`ROUNDS_DATA_DIR (${dataDir}) cannot be made private: ${(error as Error).message}`);
  }
}

/**
 * Development secrets live in data/secrets.json, generated on first run and reused after; a secret added in a
 * later version of Rounds is generated into the existing file, keeping the others.
 */
function readOrCreateDevSecrets(dataDir: string): Secrets {
  ensurePrivateDataDir(dataDir);
  const file = path.join(dataDir, 'secrets.json');
  const stored = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Partial<Secrets>;
  const missing = secretNames.filter((name) => !stored[name]);
  if (missing.length === 0) return stored as Secrets;
  for (const name of missing) stored[name] = randomBytes(32).toString('hex');
  writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  return stored as Secrets;
}

/** True for http(s) URLs on this machine (localhost, 127.0.0.0/8, ::1), where development belongs. */
function isLocalUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/**
 * TRUST_PROXY as express's `trust proxy` takes it: a hop count, false, or a list of addresses, subnets and the
 * names loopback, linklocal, uniquelocal. Checked here so a typo stops boot naming the variable rather than
 * failing inside express later; undefined when it is none of these.
 */
function parseTrustProxy(value: string): number | false | string | undefined {
  const text = value.trim();
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (text.toLowerCase() === 'false') return false;
  const parts = text.split(',').map((part) => part.trim());
  const valid = parts.every((part) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(part)) return true;
    const [address, prefix, extra] = part.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || extra !== undefined) return false;
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  return valid && parts.length > 0 ? parts.join(', ') : undefined;
}
