import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/config';

// STYLE.md: a feature folder's `index.ts` is its only door. A file outside a folder imports only that door;
// shared/ is infrastructure every feature uses directly.

const src = path.join(projectRoot, 'src');

/**
 * Folders with a door: each capability of lti/, wellbeing/ and cohorts/, and each feature folder beside them. Longest
 * first, so a file belongs to the innermost folder that has a door.
 */
const units = [
  ...['launch', 'registration', 'keys', 'deeplink', 'services'].map((name) => path.join(src, 'lti', name)),
  ...['content', 'instruments', 'results', 'player', 'support'].map((name) =>
    path.join(src, 'wellbeing', name),
  ),
  ...[
    'core',
    'matching',
    'plans',
    'sessions',
    'reflections',
    'circles',
    'dashboards',
    'invitations',
    'demo',
  ].map((name) => path.join(src, 'cohorts', name)),
  ...[
    'core',
    'activities',
    'profile',
    'requirements',
    'claims',
    'certificates',
    'reports',
    'exports',
    'demo',
  ].map((name) => path.join(src, 'cme', name)),
  ...['accounts', 'admin', 'cme', 'cohorts', 'home', 'sandbox', 'targets', 'tenancy', 'wellbeing'].map(
    (name) => path.join(src, name),
  ),
].sort((a, b) => b.length - a.length);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

function unitOf(file: string): string | undefined {
  return units.find((unit) => file.startsWith(unit + path.sep));
}

/** The files a source file imports by relative path (import, export … from, require, import()). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|require\(|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const candidates = [`${base}.ts`, path.join(base, 'index.ts')];
    return candidates.find((candidate) => statSafe(candidate)) ?? base;
  });
}

function statSafe(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

describe('folder doors', () => {
  it('when a file imports from another feature folder, then it imports that folder’s index.ts', () => {
    const crossings: string[] = [];
    for (const file of sourceFiles(src)) {
      for (const target of relativeImports(file)) {
        const targetUnit = unitOf(target);
        if (!targetUnit || targetUnit === unitOf(file)) continue;
        if (target !== path.join(targetUnit, 'index.ts')) {
          crossings.push(`${path.relative(src, file)} → ${path.relative(src, target)}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('when a folder has a door, then the door exists', () => {
    for (const unit of units) expect(statSafe(path.join(unit, 'index.ts'))).toBe(true);
  });
});
