#!/usr/bin/env node
/**
 * `npm start` (and the other run scripts) call this instead of compiling every
 * time: it hashes what the build is made of (sources, tsconfig, lock file) and
 * compiles only when dist/ was built from something else. `--force` always builds.
 * A restart after a crash then takes the time the service needs, not the compiler's.
 * `npm run build` is this with `--force`.
 */
'use strict';
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-hash');
const SOURCES = ['apps', 'libs', 'migrations'];
const FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const isSource = (name) => name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name);

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'testing') walk(path, out);
    } else if (isSource(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

function sourceHash() {
  const files = SOURCES.flatMap((dir) => walk(join(root, dir), []))
    .concat(FILES.map((f) => join(root, f)).filter(existsSync))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

const wanted = sourceHash();
const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (built === wanted && !process.argv.includes('--force')) {
  process.exit(0);
}
if (!process.argv.includes('--force')) {
  console.error(built ? 'praxis: sources changed since the last build; compiling' : 'praxis: no build yet; compiling');
}
const run = (bin, ...args) =>
  execFileSync(process.execPath, [require.resolve(bin, { paths: [root] }), ...args], { cwd: root, stdio: 'inherit' });
run('typescript/bin/tsc', '-p', 'tsconfig.build.json');
run('tsc-alias/dist/bin/index.js', '-p', 'tsconfig.build.json');
writeFileSync(stamp, `${wanted}\n`);
