import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.cache/', 'coverage/', '.scratch/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['views/static/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    // Tests stay trustworthy as they multiply: no focused test left behind, every test asserts something,
    // and no assertion hides behind a condition (a test that skips its check passes whatever Rounds does).
    files: ['test/**/*.ts'],
    plugins: { jest },
    languageOptions: { globals: jest.environments.globals.globals },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-conditional-expect': 'error',
      'jest/expect-expect': [
        'error',
        {
          // expect(), supertest's `.expect(status)` on any request chain, and the support helpers that assert.
          assertFunctionNames: ['expect', '**.expect', 'expect*', '**.expect*'],
        },
      ],
    },
  },
  {
    files: ['src/cli.ts', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
