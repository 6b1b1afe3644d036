#!/usr/bin/env node
// The `rounds` command. From a checkout it runs the TypeScript source through tsx; in the production image
// (no src/, no dev dependencies) it runs the compiled CLI.
const { existsSync } = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli.ts');
if (existsSync(source)) {
  require('tsx/cjs');
  require(source);
} else {
  require(path.join(root, 'dist', 'src', 'cli.js'));
}
