import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { runUserCommand } from './accounts';
import { ConfigError, loadConfig, projectRoot, type Config } from './config';
import { configureToolKeys, listToolKeys, rotateToolKeys, type ToolKeySummary } from './lti/keys';
import {
  changeDeployments,
  decidePlatformChange,
  listPlatformChanges,
  listPlatforms,
  registerPlatform,
  removePlatform,
  setPlatformActive,
  TenantReuseError,
  updatePlatform,
} from './lti/registration';
import { connectMongoose, openDatabase, runningEmbeddedDatabase, type Database } from './shared/database';
import { ValidationError } from './shared/errors';
import { createLogger } from './shared/logger';
import { formatPackError, importModules } from './wellbeing';

const usage = `Usage: npx rounds <command>

  platform add --issuer URL --client-id ID --deployment-id ID --auth-url URL --token-url URL --jwks-url URL [--name NAME]
               [--reuse-tenant TENANT_ID ...]
  platform update --issuer URL --client-id ID [--auth-url URL] [--token-url URL] [--jwks-url URL] [--name NAME]
  platform list
  platform remove --issuer URL --client-id ID
  platform activate --issuer URL --client-id ID [--inactive]
  platform changes
  platform approve-change --issuer URL --client-id ID
  platform reject-change --issuer URL --client-id ID
  deployment add --issuer URL --client-id ID --deployment-id ID
  deployment remove --issuer URL --client-id ID --deployment-id ID
  keys list
  keys rotate
  content import [DIR]       validate and import the module packs in DIR (default content/modules)
  user create --email E --role ROLE [--tenant TENANT_ID] [--name NAME]   prints a one-time set-password link
  user grant --email E --role ROLE [--tenant TENANT_ID]
  user revoke --email E --role ROLE [--tenant TENANT_ID]
  user reset-password --email E     the old password stops working; prints a one-time reset link and ends the
                                    account's sessions
  user reset-totp --email E         turns two-step sign-in off (a lost phone): removes the secret and recovery
                                    codes and ends the account's sessions
  user unlock --email E             lifts the sign-in lock on an e-mail and forgets its failed attempts
  user list
             ROLE: operator (no --tenant), tenant-admin or cme-admin (with --tenant), mentor

Uses MONGODB_URI when set, else the database of a running \`npm run dev\`, else starts the embedded one.`;

class UsageError extends Error {}

const optionSpec = {
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'deployment-id': { type: 'string', multiple: true },
  'auth-url': { type: 'string' },
  'token-url': { type: 'string' },
  'jwks-url': { type: 'string' },
  name: { type: 'string' },
  'reuse-tenant': { type: 'string', multiple: true },
  inactive: { type: 'boolean' },
  email: { type: 'string' },
  role: { type: 'string' },
  tenant: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true }>>['values'];

function required(
  options: Options,
  key: 'issuer' | 'client-id' | 'auth-url' | 'token-url' | 'jwks-url',
): string {
  const value = options[key];
  if (!value) throw new UsageError(`--${key} is required`);
  if (key !== 'client-id' && !isHttpUrl(value)) throw new UsageError(`--${key} must be an http(s) URL`);
  return value;
}

function optionalUrl(options: Options, key: 'auth-url' | 'token-url' | 'jwks-url'): string | undefined {
  return options[key] === undefined ? undefined : required(options, key);
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function deploymentIds(options: Options): string[] {
  const ids = (options['deployment-id'] ?? []).map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError('--deployment-id is required');
  return ids;
}

async function run(command: string, options: Options, args: string[], config: Config): Promise<void> {
  if (command.startsWith('user ')) {
    try {
      const result = await runUserCommand(command, options, config);
      if ('lines' in result) return result.lines.forEach((line) => console.log(line));
      console.error(result.refusal);
      process.exitCode = 1;
      return;
    } catch (error) {
      // A missing or wrong option (an unknown role, a tenant where none belongs): a usage error, exit 2.
      if (error instanceof ValidationError) throw new UsageError(error.message);
      throw error;
    }
  }
  switch (command) {
    case 'platform add': {
      const issuer = required(options, 'issuer');
      try {
        const platform = await registerPlatform(
          {
            issuer,
            clientId: required(options, 'client-id'),
            deploymentIds: deploymentIds(options),
            name: options.name ?? new URL(issuer).host,
            authUrl: required(options, 'auth-url'),
            tokenUrl: required(options, 'token-url'),
            jwksUrl: required(options, 'jwks-url'),
          },
          { reuseTenants: options['reuse-tenant'] ?? [] },
        );
        console.log(`Registered ${platform.name} (${platform.issuer}, client ${platform.clientId}).`);
      } catch (error) {
        if (!(error instanceof TenantReuseError)) throw error;
        console.error(
          `${error.message}\nTo let this registration take them over, add ${error.tenants
            .map((tenant) => `--reuse-tenant ${tenant.id}`)
            .join(' ')}.`,
        );
        process.exitCode = 1;
      }
      return;
    }
    case 'platform update': {
      const update = {
        name: options.name,
        authUrl: optionalUrl(options, 'auth-url'),
        tokenUrl: optionalUrl(options, 'token-url'),
        jwksUrl: optionalUrl(options, 'jwks-url'),
      };
      if (Object.values(update).every((value) => value === undefined)) {
        throw new UsageError('platform update needs --name, --auth-url, --token-url or --jwks-url');
      }
      const done = await updatePlatform(required(options, 'issuer'), required(options, 'client-id'), update);
      console.log(done ? 'Platform updated.' : 'No such platform.');
      if (!done) process.exitCode = 1;
      return;
    }
    case 'platform changes': {
      const changes = await listPlatformChanges();
      if (changes.length === 0) return console.log('No changes proposed by Dynamic Registration.');
      for (const { change, current } of changes) {
        console.log(
          `${current?.name ?? '(removed platform)'}  issuer=${change.issuer}  client=${change.clientId}`,
        );
        console.log(`  proposed ${change.proposedAt.toISOString()} by the LMS through Dynamic Registration`);
        for (const [label, key] of [
          ['auth URL ', 'authUrl'],
          ['token URL', 'tokenUrl'],
          ['JWKS URL ', 'jwksUrl'],
        ] as const) {
          const same = current?.[key] === change[key] ? '  (unchanged)' : '';
          console.log(`  ${label}  now: ${current?.[key] ?? '-'}\n             new: ${change[key]}${same}`);
        }
        console.log(
          `  deployments now: ${current?.deploymentIds.join(',') || '-'}  adds: ${change.deploymentIds.join(',') || '-'}`,
        );
      }
      return;
    }
    case 'platform approve-change':
    case 'platform reject-change': {
      const approve = command === 'platform approve-change';
      const done = await decidePlatformChange(
        required(options, 'issuer'),
        required(options, 'client-id'),
        approve,
      );
      console.log(
        done ? `Change ${approve ? 'approved' : 'rejected'}.` : 'No change is proposed for that platform.',
      );
      if (!done) process.exitCode = 1;
      return;
    }
    case 'platform list': {
      const platforms = await listPlatforms();
      if (platforms.length === 0) return console.log('No platforms registered.');
      for (const p of platforms) {
        console.log(
          `${p.active ? 'active  ' : 'inactive'}  ${p.name}  issuer=${p.issuer}  client=${p.clientId}  deployments=${p.deploymentIds.join(',') || '(none)'}`,
        );
      }
      return;
    }
    case 'platform remove': {
      const removed = await removePlatform(required(options, 'issuer'), required(options, 'client-id'));
      console.log(removed ? 'Platform removed.' : 'No such platform.');
      if (!removed) process.exitCode = 1;
      return;
    }
    case 'platform activate': {
      const active = !options.inactive;
      const done = await setPlatformActive(
        required(options, 'issuer'),
        required(options, 'client-id'),
        active,
      );
      console.log(done ? `Platform ${active ? 'activated' : 'deactivated'}.` : 'No such platform.');
      if (!done) process.exitCode = 1;
      return;
    }
    case 'deployment add':
    case 'deployment remove': {
      const ids = deploymentIds(options);
      const found = await changeDeployments(
        required(options, 'issuer'),
        required(options, 'client-id'),
        command === 'deployment add' ? { add: ids } : { remove: ids },
      );
      console.log(found ? `Deployments updated.` : 'No such platform.');
      if (!found) process.exitCode = 1;
      return;
    }
    case 'keys list': {
      const keys = await listToolKeys();
      if (keys.length === 0) return console.log('No tool keys yet: Rounds creates one when it first starts.');
      for (const key of keys) console.log(describeKey(key));
      return;
    }
    case 'keys rotate': {
      const { active, retiring } = await rotateToolKeys();
      console.log(`New signing key: ${describeKey(active)}`);
      for (const key of retiring) console.log(`Still published: ${describeKey(key)}`);
      console.log('A running Rounds signs with the new key within a minute.');
      return;
    }
    case 'content import': {
      const dir = path.resolve(args[0] ?? path.join(projectRoot, 'content', 'modules'));
      if (!existsSync(dir)) throw new UsageError(`No such folder: ${dir}`);
      const result = await importModules(dir);
      if (!result.ok) {
        for (const error of result.errors) console.error(formatPackError(error));
        console.error(`Nothing imported: ${result.errors.length} error(s).`);
        process.exitCode = 1;
        return;
      }
      for (const { slug, status, version } of result.modules) {
        console.log(`${slug}: ${status === 'unchanged' ? 'unchanged' : `${status} (v${version})`}`);
      }
      return;
    }
    default:
      throw new UsageError(`Unknown command: ${command || '(none)'}`);
  }
}

/** One line of `keys list`: status, kid, when it became active and (if replaced) when it stops being published. */
function describeKey(key: ToolKeySummary): string {
  const retires = key.retiresAt
    ? `  ${key.status === 'retired' ? 'retired' : 'retires'} ${key.retiresAt.toISOString()}`
    : '';
  return `${key.status.padEnd(8)}  kid=${key.kid}  active since ${key.activatedAt.toISOString()}${retires}`;
}

/** The database the CLI works on: MONGODB_URI, the running dev server's, or an embedded one of its own. */
async function openCliDatabase(config: Config): Promise<Database> {
  const logger = createLogger('warn');
  const runningUri = config.mongodbUri ? undefined : runningEmbeddedDatabase(config);
  if (runningUri) {
    await connectMongoose(runningUri, config);
    return { uri: runningUri, close: () => mongoose.disconnect() };
  }
  return openDatabase(config, logger);
}

async function main() {
  const { values, positionals } = parseArgs({ options: optionSpec, allowPositionals: true });
  const command = positionals.slice(0, 2).join(' ');
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return;
  }
  const config = loadConfig({ logLevel: 'warn' });
  const database = await openCliDatabase(config);
  configureToolKeys({
    encryptionKey: config.ltiEncryptionKey,
    retirementHours: config.toolKeyRetirementHours,
  });
  try {
    await run(command, values, positionals.slice(2), config);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`${error.message}\n\n${usage}`);
  } else {
    console.error(`rounds: ${(error as Error).message}`);
  }
  process.exit(error instanceof UsageError ? 2 : 1);
});
