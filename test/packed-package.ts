// The package as a user gets it: `npm pack` of this working tree, installed from the tarball
// into a project of its own. The package test and the documentation test share it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** A project that installed the packed tarball. */
export interface PackedPackage {
  /** The project's directory: its `node_modules` holds rtsp-rx from the tarball. */
  readonly project: string;
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** Every path in the tarball, as `npm pack` listed it. */
  readonly files: readonly string[];
  /** Where npm installed the package: `node_modules/rtsp-rx` in the project. */
  readonly installed: string;
}

/**
 * What the project gets besides the tarball, linked from this repository's `node_modules`
 * (`npm install` makes `file:` folders symlinks): rtsp-rx's dependencies and its peers,
 * and what a TypeScript application with NestJS or Angular has. npm installs the tarball and
 * checks that every dependency and peer is satisfied, without the network: from a fresh
 * clone npm's cache holds the tarballs `npm ci` fetched but not the registry's metadata,
 * so `--offline` could not resolve a version range, and a test that needs the registry
 * fails for reasons of its own. The versions are the lockfile's, the ones every other test
 * runs against.
 */
const LINKED = ['ts-pattern', 'commander', 'pngjs', 'prom-client', 'pidusage', 'yaml', '@nats-io/transport-node', '@nats-io/jetstream', '@nats-io/kv', '@nats-io/obj', 'rxjs', '@u4/opencv4nodejs', '@nestjs/common', '@types/node', 'typescript', '@angular/core'];

/** The working tree's files as git sees them: tracked, or new and not ignored. */
function packageInputs(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0');
  return [...new Set(listed)].filter((path) => path !== '' && existsSync(join(root, path)) && statSync(join(root, path)).isFile()).sort();
}

/**
 * Packs the working tree as it is (uncommitted edits included) and installs the tarball into
 * a temporary project, or returns the project a previous call made from the same files: the
 * key is a hash of every file git would see and of the checkout's place, so each test file, and each run, packs anew
 * only after a change. The build runs in a copy, so the repository's own `dist/` is never
 * touched. Projects unused for an hour are removed.
 */
export function packedPackage(): PackedPackage {
  const inputs = packageInputs();
  // The project links this checkout's node_modules: another checkout of the same files (a copy
  // made to test another Node.js version, since removed) needs a project of its own.
  const hash = createHash('sha256').update(`${root}\0`);
  for (const path of inputs) hash.update(`${path}\0`).update(readFileSync(join(root, path))).update('\0');
  const home = join(tmpdir(), `rtsp-rx-packed-${hash.digest('hex').slice(0, 16)}`);
  removeStale(home);
  // The package and documentation tests run side by side: one packs while the other waits.
  const lock = `${home}.lock`;
  while (!existsSync(join(home, 'ready.json')) && !takeLock(lock)) sleepSync(200);
  if (!existsSync(join(home, 'ready.json'))) {
    // Made beside its final place and renamed when complete: another run never sees half of it,
    // and the relative links npm wrote stay right.
    const work = mkdtempSync(join(tmpdir(), 'rtsp-rx-packing-'));
    try {
      pack(inputs, work);
      renameSync(work, home);
    } catch (error) {
      rmSync(work, { recursive: true, force: true });
      if (!existsSync(join(home, 'ready.json'))) throw error; // else another run made it first
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  utimesSync(home, new Date(), new Date()); // in use: not stale for another run
  const { tarball, files } = JSON.parse(readFileSync(join(home, 'ready.json'), 'utf8')) as { tarball: string; files: string[] };
  const project = join(home, 'project');
  return { project, tarball: join(home, tarball), files, installed: join(project, 'node_modules', 'rtsp-rx') };
}

/** Takes the lock (a directory, made or not in one step); a lock left by a run that died goes after 5 minutes. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // Released meanwhile.
    }
    return false;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function pack(inputs: readonly string[], work: string): void {
  const copy = join(work, 'package');
  for (const path of inputs) {
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    cpSync(join(root, path), join(copy, path));
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: copy, stdio: 'pipe' });
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as [{ filename: string; files: { path: string }[] }];
  rmSync(copy, { recursive: true, force: true });

  const project = join(work, 'project');
  mkdirSync(project);
  const dependencies = Object.fromEntries([['rtsp-rx', `file:../${packed.filename}`], ...LINKED.map((name) => [name, `file:${join(root, 'node_modules', name)}`])]);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'rtsp-rx-consumer', version: '1.0.0', private: true, dependencies }, null, 2)}\n`);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, stdio: 'pipe' });
  writeFileSync(join(work, 'ready.json'), JSON.stringify({ tarball: packed.filename, files: packed.files.map((file) => file.path).sort() }));
}

function removeStale(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    if (!/^rtsp-rx-pack(ed|ing)-/.test(name)) continue;
    const path = join(tmpdir(), name);
    if (path === keep) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

/** A scratch directory inside the project, so that its files resolve the installed packages. */
export function scratch(packed: PackedPackage, name: string): string {
  return mkdtempSync(join(packed.project, `${name}-`));
}

/**
 * Runs the project's TypeScript compiler in `cwd` with `--listFiles`: its diagnostics, one per
 * line, and the files of its program.
 */
export function tsc(packed: PackedPackage, cwd: string, args: readonly string[]): { errors: string[]; files: string[] } {
  const result = spawnSync(process.execPath, [join(packed.project, 'node_modules', 'typescript', 'bin', 'tsc'), '--pretty', 'false', '--listFiles', ...args], { cwd, encoding: 'utf8' });
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  const isDiagnostic = (line: string) => /\berror TS\d+:|^\s/.test(line);
  const errors = lines.filter(isDiagnostic);
  const files = lines.filter((line) => !isDiagnostic(line));
  if (result.status !== 0 && errors.length === 0) errors.push(`tsc ended with ${result.status ?? result.signal}`);
  return { errors, files };
}

/**
 * Capture processes that run the installed package's code, whoever started them: a program
 * that was stopped must leave none behind.
 */
export function captureProcessesOf(packed: PackedPackage): string[] {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmdline.includes('capture-process') || !cmdline.includes(packed.project)) continue;
      // The state (R, S, D…) tells a process still capturing from one the kernel is still ending.
      const state = /\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1];
      found.push(`${entry} (${state}): ${cmdline}`);
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}
