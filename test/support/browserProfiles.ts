import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './browser';

/**
 * Cookie settings of a Chromium profile, written to its Preferences file before launch:
 * - `allowed`: third-party cookies allowed (Chromium's setting "Allow third-party cookies").
 * - `thirdPartyBlocked`: "Block third-party cookies"; Chromium still keeps Partitioned (CHIPS) cookies.
 * - `allBlockedInFrame`: third-party cookies blocked and, through a site exception, every cookie of the tool's
 *   site (127.0.0.1) while it is embedded in the LMS's (localhost), partitioned ones too: what a browser without
 *   CHIPS does (Safari). The tool's own top-level window keeps its cookies.
 */
export type CookieProfile = 'allowed' | 'thirdPartyBlocked' | 'allBlockedInFrame';

const preferences: Record<CookieProfile, object> = {
  allowed: { profile: { cookie_controls_mode: 0 } },
  thirdPartyBlocked: { profile: { cookie_controls_mode: 1 } },
  allBlockedInFrame: {
    profile: {
      cookie_controls_mode: 1,
      content_settings: { exceptions: { cookies: { '127.0.0.1,localhost': { setting: 2 } } } },
    },
  },
};

/** A persistent Chromium context (Preferences only apply to a real profile) with the given cookie settings. */
export async function launchProfile(profile: CookieProfile): Promise<BrowserContext> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'rounds-chromium-'));
  mkdirSync(path.join(userDataDir, 'Default'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'Default', 'Preferences'), JSON.stringify(preferences[profile]));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
  profileDirs.set(context, userDataDir);
  return context;
}

const profileDirs = new WeakMap<BrowserContext, string>();

/** Closes the browser and deletes its profile. */
export async function closeProfile(context: BrowserContext): Promise<void> {
  await context.close();
  const userDataDir = profileDirs.get(context);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
