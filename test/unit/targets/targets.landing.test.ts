import { landingPathForKey } from '../../../src/targets';

describe('where a placed key lands, read without the database', () => {
  it.each([
    ['module:stress-first-aid', '/targets/module/stress-first-aid'],
    ['module:burnout-basics', '/targets/module/burnout-basics'],
    ['reflection:cohort-reflection', '/targets/reflection/cohort-reflection'],
    ['cme-claim:course-credit', '/targets/cme-claim/course-credit'],
  ])('when the key is %s, then the launch lands on %s', (key, path) => {
    expect(landingPathForKey(key)).toBe(path);
  });

  it.each(['module:../admin', 'module:Stress', 'module:', 'reflection:nope', 'nothing', ':x'])(
    'when the key is %p, then it lands nowhere (the launch goes home)',
    (key) => {
      expect(landingPathForKey(key)).toBeUndefined();
    },
  );
});
