import { landingPathForKey } from '../../../../src/targets';

// Placed reflection assignments land on their own page, read without the database (the launch's landing).
describe('where a placed reflection lands', () => {
  it.each([
    ['reflection:0123456789abcdef01234567', '/targets/reflection/0123456789abcdef01234567'],
    ['reflection:cohort-reflection', '/targets/reflection/cohort-reflection'],
  ])('when the key is %s, then the launch lands on %s', (key, path) => {
    expect(landingPathForKey(key)).toBe(path);
  });

  it.each(['reflection:0123456789ABCDEF01234567', 'reflection:0123', 'reflection:../grading', 'reflection:'])(
    'when the key is %p, then it lands nowhere',
    (key) => {
      expect(landingPathForKey(key)).toBeUndefined();
    },
  );
});
