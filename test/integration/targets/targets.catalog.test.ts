import mongoose from 'mongoose';
import { findTargetByKey, listTargets, pathFor, targetKey } from '../../../src/targets';
import { importBundledModules } from '../../../src/wellbeing';
import { useTestDatabase } from '../../support';

// The catalogue deep linking offers: the stored modules a tenant sees, then the placeholders.
useTestDatabase();
const tenantId = String(new mongoose.Types.ObjectId());
const courseId = String(new mongoose.Types.ObjectId());

beforeAll(async () => {
  const imported = await importBundledModules();
  expect(imported.ok).toBe(true);
});

it('when a tenant lists what it can place, then every bundled module comes first, gradable out of 100', async () => {
  const targets = await listTargets(tenantId, courseId);
  const modules = targets.filter((target) => target.kind === 'module');
  expect(modules.map((target) => target.id)).toEqual(
    expect.arrayContaining(['stress-first-aid', 'two-minute-resets', 'mentoring-well']),
  );
  expect(modules.length).toBeGreaterThanOrEqual(8);
  expect(targets.slice(0, modules.length).every((target) => target.kind === 'module')).toBe(true);
  for (const module of modules) expect(module.gradable).toEqual({ scoreMaximum: 100 });
});

it('when any listed target is keyed and looked up again, then it is found and has its own page', async () => {
  for (const target of await listTargets(tenantId, courseId)) {
    expect(await findTargetByKey(targetKey(target), tenantId)).toEqual(target);
    expect(pathFor(target)).toBe(`/targets/${target.kind}/${target.id}`);
  }
});

it('when a key names a slug placed before the modules existed, then it resolves to the module that replaced it', async () => {
  const target = await findTargetByKey('module:burnout-basics', tenantId);
  expect(target).toMatchObject({
    kind: 'module',
    id: 'burnout-basics',
    title: expect.stringMatching(/burnout/i),
  });
  expect(await findTargetByKey('module:no-such-module', tenantId)).toBeUndefined();
});
