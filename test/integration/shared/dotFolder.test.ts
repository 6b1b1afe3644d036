import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../../src/config';
import { spawnServer, type ServerProcess } from '../../support/bootServer';
import { testDatabaseUri } from '../../support/database';
import { followLogin, pathOf, readLaunchForm, type Agent } from '../../support/launch';

// Issue 9, "installs anywhere": a clone under a dot-folder (~/.apps/rounds, a CI's .work/) must serve its files.
// send (under express's sendFile) ignores any dot-segment of an absolute path unless given `root`, so the sandbox's
// scripts answered a 404 page and every sandbox launch stalled. A full clone + `npm ci` per run is too slow; this
// copies what the server reads at run time under `.apps/` and runs it there as `npm run dev` does (node + tsx).

/** What `src/server.ts` reads at run time (content/: the bundled modules it imports at boot); node_modules is linked (its real path is outside, which is fine). */
const runtimeEntries = ['src', 'views', 'config', 'content', 'package.json', 'tsconfig.json'];
const staticFolder = path.join('views', 'static');

let parent: string;
let clone: string;
let server: ServerProcess;
let url: string;

/** A marker appended to every static file of the copy, so a body proves it came from under the dot-folder. */
function markerOf(file: string): string {
  return `/* served from the copy under .apps: ${file} */`;
}

beforeAll(async () => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'rounds-dot-'));
  clone = path.join(parent, '.apps', 'rounds');
  for (const entry of runtimeEntries) {
    cpSync(path.join(projectRoot, entry), path.join(clone, entry), { recursive: true });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  for (const file of readdirSync(path.join(clone, staticFolder))) {
    appendFileSync(path.join(clone, staticFolder, file), `\n${markerOf(file)}\n`);
  }
  // A dotfile where static files are served from: the dot-folder above is allowed, a dotfile asked for is not.
  writeFileSync(path.join(clone, staticFolder, '.secret.js'), markerOf('.secret.js'));
  // This file's own database on the test server: the copy registers its sandbox there as any Rounds does.
  server = spawnServer(clone, { MONGODB_URI: testDatabaseUri(), ROUNDS_DATA_DIR: path.join(parent, 'data') });
  url = (await server.waitForLog('Rounds is listening', 90_000)).url!;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(parent, { recursive: true, force: true });
});

/** The scripts and stylesheets a page loads, as paths on `url`. */
function assetsOf(html: string): string[] {
  const sources = [...html.matchAll(/<(?:script[^>]*src|link[^>]*href)="([^"]+\.(?:js|css))"/g)];
  return sources.map((match) => match[1]!);
}

/** The content type a file must be served with: scripts and stylesheets by name, anything else not a page. */
function expectedType(asset: string): RegExp {
  if (asset.endsWith('.js')) return /^(text|application)\/javascript/;
  if (asset.endsWith('.css')) return /^text\/css/;
  return /^(?!text\/html)/;
}

/** Fetches each asset and returns what went wrong (wrong status, type or origin), so one expect shows them all. */
async function fetchAssets(agent: Agent, assets: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const asset of assets) {
    const response = await agent
      .get(asset)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const type = response.headers['content-type'] ?? '';
    const fromCopy = (response.body as Buffer).includes('served from the copy under .apps');
    if (response.status !== 200 || !expectedType(asset).test(type) || !fromCopy) {
      problems.push(`${asset}: ${response.status} ${type}${fromCopy ? '' : ', not the copy'}`);
    }
  }
  return problems;
}

describe('a Rounds installed under a dot-folder', () => {
  it('when a person launches from the sandbox course, then the launch completes and every page gets its scripts and stylesheets', async () => {
    expect(clone).toContain(`${path.sep}.apps${path.sep}`);
    const agent = request.agent(url);
    const course = await agent.get('/sandbox/').expect(200);
    const embed = await agent.get('/sandbox/embed/nurse?storage=1').expect(200);
    const start = await agent.get('/sandbox/launch/nurse').expect(302);
    // The page whose autosubmit.js posts the id_token to Rounds: without its script the launch stalls here.
    const autoPost = await followLogin(agent, start.headers.location!);
    const form = readLaunchForm(autoPost.text);
    const launch = await agent.post(pathOf(form.action)).type('form').send(form.fields);
    expect(launch.status).toBe(303);
    const home = await agent.get(launch.headers.location!).expect(200);

    const assets = [course, embed, autoPost, home].flatMap((page) => assetsOf(page.text));
    expect(assets).toEqual(
      expect.arrayContaining([
        '/sandbox/static/sandbox.css',
        '/sandbox/static/embed.js',
        '/sandbox/static/autosubmit.js',
        '/static/rounds.css',
      ]),
    );
    // The Dynamic Registration page's script is served beside them.
    expect(await fetchAssets(agent, [...new Set(assets), '/sandbox/static/registration.js'])).toEqual([]);
  });

  it('when any file of views/static is asked for at /static/, then it is served from the copy', async () => {
    const files = readdirSync(path.join(clone, staticFolder)).filter((file) => !file.startsWith('.'));
    expect(files.length).toBeGreaterThan(0);
    expect(
      await fetchAssets(
        request.agent(url),
        files.map((file) => `/static/${file}`),
      ),
    ).toEqual([]);
  });

  it('when a dotfile in the static folder is asked for, then it is not served', async () => {
    await request(url).get('/static/.secret.js').expect(404);
  });
});
