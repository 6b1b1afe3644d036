import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { ConfigError, loadConfig, type Config } from './config';
import { configureToolKeys, listToolKeys, rotateToolKeys, type ToolKeySummary } from './lti/keys.service';
import { listPlatforms, registerPlatform, removePlatform, setPlatformActive } from './lti/platform.service';
import { PlatformModel } from './lti/platform.model';
import { startLti, type Lti } from './lti/provider';
import { connectMongoose, openDatabase, runningEmbeddedDatabase, type Database } from './shared/database';
import { createLogger } from './shared/logger';

const usage = `Usage: npx rounds <command>

  platform add --issuer URL --client-id ID --deployment-id ID --auth-url URL --token-url URL --jwks-url URL [--name NAME]
  platform list
  platform remove --issuer URL --client-id ID
  platform activate --issuer URL --client-id ID [--inactive]
  deployment add --issuer URL --client-id ID --deployment-id ID
  deployment remove --issuer URL --client-id ID --deployment-id ID
  keys list
  keys rotate

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
  inactive: { type: 'boolean' },
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

async function run(command: string, options: Options, lti: Lti): Promise<void> {
  switch (command) {
    case 'platform add': {
      const issuer = required(options, 'issuer');
      const platform = await registerPlatform(lti, {
        issuer,
        clientId: required(options, 'client-id'),
        deploymentIds: deploymentIds(options),
        name: options.name ?? new URL(issuer).host,
        authUrl: required(options, 'auth-url'),
        tokenUrl: required(options, 'token-url'),
        jwksUrl: required(options, 'jwks-url'),
      });
      console.log(`Registered ${platform.name} (${platform.issuer}, client ${platform.clientId}).`);
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
      const removed = await removePlatform(lti, required(options, 'issuer'), required(options, 'client-id'));
      console.log(removed ? 'Platform removed.' : 'No such platform.');
      if (!removed) process.exitCode = 1;
      return;
    }
    case 'platform activate': {
      const active = !options.inactive;
      const done = await setPlatformActive(
        lti,
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
      const filter = { issuer: required(options, 'issuer'), clientId: required(options, 'client-id') };
      const ids = deploymentIds(options);
      const update =
        command === 'deployment add'
          ? { $addToSet: { deploymentIds: { $each: ids } } }
          : { $pull: { deploymentIds: { $in: ids } } };
      const result = await PlatformModel.updateOne(filter, update);
      console.log(result.matchedCount ? `Deployments updated.` : 'No such platform.');
      if (!result.matchedCount) process.exitCode = 1;
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
  const lti = await startLti({ config, databaseUri: database.uri, logger: createLogger('warn') });
  try {
    await run(command, values, lti);
  } finally {
    await lti.close().catch(() => undefined);
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
