import { findTargetByKey, listTargets, pathFor, targetKey } from '../../../src/targets/targets.catalog';

describe('the catalogue of what can be placed in a course', () => {
  it('when any catalogue target is keyed and looked up again, then it is found and has its own page', () => {
    for (const target of listTargets()) {
      expect(findTargetByKey(targetKey(target))).toBe(target);
      expect(pathFor(target)).toBe(`/targets/${target.kind}/${target.id}`);
    }
  });
});
