#!/usr/bin/env node
// Builds each named app (`nest build <app>`) only when a source it is built from is newer than
// its last build, so a second `npm start` or `npm run cli` starts at once instead of re-running
// webpack for 10-30 s. Usage: node scripts/build-if-changed.js api cli
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
/** What every bundle is built from: the apps, the libs and the build's own configuration. */
const INPUTS = ['apps', 'libs', 'tsconfig.json', 'nest-cli.json', 'package-lock.json'];

function newest(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.spec.ts')) continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const stampPath = (app) => join(root, 'dist', 'apps', app, '.built');
/** Dated when the build started: a source saved during the build makes the next start build. */
const writeStamp = (app, started = new Date()) => {
  writeFileSync(stampPath(app), `${started.toISOString()}\n`);
  utimesSync(stampPath(app), started, started);
};

const args = process.argv.slice(2);
// `--stamp api cli`: `npm run build` has just built them; record it.
if (args[0] === '--stamp') {
  for (const app of args.slice(1)) writeStamp(app);
  process.exit(0);
}

const sources = Math.max(...INPUTS.map((input) => newest(join(root, input))));
for (const app of args) {
  // A stamp, not the bundle's own time: webpack leaves an unchanged bundle untouched.
  const stamp = stampPath(app);
  let built = 0;
  try {
    statSync(join(root, 'dist', 'apps', app, 'main.js'));
    built = statSync(stamp).mtimeMs;
  } catch {
    // never built (or built by something that left no stamp)
  }
  if (built > sources) continue;
  process.stderr.write(`Building ${app} (${built ? 'sources changed' : 'first build'})...\n`);
  const started = new Date();
  const result = spawnSync(join(root, 'node_modules', '.bin', 'nest'), ['build', app], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeStamp(app, started);
}
