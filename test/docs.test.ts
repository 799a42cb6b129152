// The documentation, tested as a user reads it. Every ```ts block of README.md and docs/*.md is
// type-checked against the packed package, installed from its tarball, under `nodenext` (as an
// ES module) and under `bundler`. Two markers, HTML comments right above a block, which no
// rendered page shows:
//
//   <!-- context: what the block uses without defining it, such as an application's own class
//   declare class CamerasController {}
//   -->
//       The lines after the first are TypeScript put before the block: imports and `declare`s.
//
//   <!-- prints (against the test camera):
//   connected 320x240
//   -->
//   ```ts runnable
//       A runnable block is compiled as it stands (no context) to .mjs and, unless its info
//       string also says `esm` (top-level await), to .cjs from a .cts, and each runs with
//       RTSP_URL naming the test camera. Each line of the `prints` marker is a regular
//       expression that a whole line of its output must match. Once all have, or after 30 s,
//       it gets SIGINT, as from Ctrl-C, and must end, with nothing on stderr and no capture
//       process left behind.
//
// The quick starts ("## Quick start", "## Frames") must be runnable in both module systems.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, type TestCamera } from '../src/testing/index.js';
import { captureProcessesOf, packedPackage, root, scratch, tsc, type PackedPackage } from './packed-package.js';

interface Marker {
  readonly kind: 'context' | 'prints';
  /** 1-based line of the `<!--` line. */
  readonly line: number;
  readonly body: readonly string[];
}

interface Block {
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The `## ` heading the block stands under. */
  readonly section: string;
  readonly flags: readonly string[];
  readonly code: string;
  readonly context?: Marker;
  readonly prints?: Marker;
  /** The file name stem of its snippets. */
  readonly name: string;
}

const FLAGS = new Set(['runnable', 'esm']);

/** The ```ts blocks of a Markdown file with their markers, and every misplaced marker as a problem. */
function parse(doc: string): { blocks: Block[]; problems: string[] } {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  const problems: string[] = [];
  let pending: Marker[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = /^<!-- (context|prints)\b/.exec(line);
    if (marker !== null) {
      const end = lines.findIndex((candidate, j) => j > i && candidate.trim() === '-->');
      if (end === -1) {
        problems.push(`${doc}:${i + 1}: the marker is never closed by a line "-->"`);
        break;
      }
      pending.push({ kind: marker[1] as Marker['kind'], line: i + 1, body: lines.slice(i + 1, end) });
      i = end;
      continue;
    }
    const fence = /^```(\S*)(.*)$/.exec(line);
    if (fence !== null) {
      const end = lines.findIndex((candidate, j) => j > i && /^```\s*$/.test(candidate));
      if (end === -1) {
        problems.push(`${doc}:${i + 1}: the block is never closed`);
        break;
      }
      if (fence[1] === 'ts') {
        const flags = fence[2]!.trim().split(/\s+/).filter(Boolean);
        const context = pending.find((m) => m.kind === 'context');
        const prints = pending.find((m) => m.kind === 'prints');
        const block: Block = { doc, line: i + 1, section, flags, code: `${lines.slice(i + 1, end).join('\n')}\n`, context, prints, name: `${doc.replace(/\W+/g, '-')}-${i + 1}` };
        const where = `${doc}:${i + 1}`;
        for (const flag of flags) if (!FLAGS.has(flag)) problems.push(`${where}: unknown flag ${flag} (known: ${[...FLAGS].join(', ')})`);
        if (pending.length > new Set(pending.map((m) => m.kind)).size) problems.push(`${where}: two markers of one kind`);
        if (flags.includes('runnable') && prints === undefined) problems.push(`${where}: a runnable block needs a prints marker: what it prints`);
        if (flags.includes('runnable') && context !== undefined) problems.push(`${where}: a runnable block runs as it stands, without a context`);
        if (!flags.includes('runnable') && prints !== undefined) problems.push(`${where}: a prints marker on a block that is not runnable`);
        blocks.push(block);
      } else if (pending.length > 0) {
        problems.push(`${doc}:${pending[0]!.line}: a marker before a block that is not ts`);
      }
      pending = [];
      i = end;
      continue;
    }
    if (line.startsWith('## ')) section = line;
    if (pending.length > 0 && line.trim() !== '') {
      problems.push(`${doc}:${pending[0]!.line}: a marker that no ts block follows`);
      pending = [];
    }
  }
  return { blocks, problems };
}

const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
const parsed = docs.map(parse);
const blocks = parsed.flatMap((result) => result.blocks);
const runnable = blocks.filter((block) => block.flags.includes('runnable'));

/** A snippet's TypeScript: its context, then the block as written. */
const snippet = (block: Block) => `${block.context?.body.join('\n').concat('\n') ?? ''}${block.code}`;

/** tsc's diagnostics with the Markdown line each one is about. */
function located(errors: readonly string[]): string[] {
  return errors.map((error) => {
    const found = /^([\w-]+)\.[mc]?ts\((\d+),(\d+)\): (.*)$/.exec(error);
    const block = blocks.find((candidate) => candidate.name === found?.[1]);
    if (found === null || block === undefined) return error;
    const line = Number(found[2]);
    const contextLines = block.context?.body.length ?? 0;
    const at = line <= contextLines ? block.context!.line + line : block.line + line - contextLines;
    return `${block.doc}:${at}:${found[3]} (${found[0].split('(')[0]}): ${found[4]}`;
  });
}

const COMPILER = ['--strict', '--target', 'es2022', '--lib', 'es2023', '--types', 'node', '--skipLibCheck'];

let packed: PackedPackage;
let work: string;
let camera: TestCamera | undefined;

beforeAll(async () => {
  packed = packedPackage();
  work = scratch(packed, 'docs-test');
  for (const block of blocks) {
    writeFileSync(join(work, `${block.name}.mts`), snippet(block));
    writeFileSync(join(work, `${block.name}.ts`), snippet(block));
    if (block.flags.includes('runnable') && !block.flags.includes('esm')) writeFileSync(join(work, `${block.name}.cts`), block.code);
  }
}, 180_000);

afterAll(async () => {
  await camera?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the documentation', () => {
  it('has its markers where they belong', () => {
    expect(parsed.flatMap((result) => result.problems)).toEqual([]);
    expect(blocks.length).toBeGreaterThan(5);
  });

  it('has runnable quick starts, in ESM and in CommonJS', () => {
    const quickStarts = blocks.filter((block) => block.doc === 'README.md' && ['## Quick start', '## Frames'].includes(block.section));
    expect(quickStarts.length).toBeGreaterThanOrEqual(3);
    for (const block of quickStarts) expect(block.flags, `README.md:${block.line}`).toEqual(['runnable']);
  });

  it('type-checks under nodenext: every block as an ES module, the runnable ones also as CommonJS, compiled for the runs below', () => {
    const files = readdirSync(work).filter((name) => /\.[mc]ts$/.test(name));
    expect(located(tsc(packed, work, [...COMPILER, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--outDir', 'out', ...files]).errors)).toEqual([]);
  }, 60_000);

  it('type-checks under bundler (module esnext)', () => {
    const files = readdirSync(work).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
    expect(located(tsc(packed, work, [...COMPILER, '--module', 'esnext', '--moduleResolution', 'bundler', '--moduleDetection', 'force', '--noEmit', ...files]).errors)).toEqual([]);
  }, 60_000);

  describe('runs each runnable block against the test camera, and it prints what it says', () => {
    for (const block of runnable) {
      for (const system of block.flags.includes('esm') ? ['ESM'] : ['ESM', 'CommonJS']) {
        it(`${block.doc}:${block.line} (${block.section.slice(3) || block.doc}) as ${system}`, async () => {
          camera ??= await startTestCamera();
          const file = join(work, 'out', `${block.name}.${system === 'ESM' ? 'mjs' : 'cjs'}`);
          const result = await run(file, block.prints!.body.map((pattern) => new RegExp(`^(?:${pattern})$`)));
          expect(result.unmatched, `printed:\n${result.stdout}`).toEqual([]);
          expect(result.stderr).toBe('');
          expect(result.ended, 'ends by itself or on SIGINT').toMatch(/^(code 0|signal SIGINT)$/);
          await expect.poll(() => captureProcessesOf(packed), { timeout: 10_000, message: 'capture processes left behind' }).toEqual([]);
        }, 60_000);
      }
    }
  });
});

/** The environment of a user's shell: not the variable the tests set for the addon's build. */
const { OPENCV4NODEJS_DISABLE_AUTOBUILD: _, ...userEnv } = process.env;

/**
 * Runs a compiled snippet until every pattern matched a line of its output (or 30 s), then
 * gives it a second to end by itself before SIGINT, and 10 s more before SIGKILL.
 */
async function run(file: string, patterns: readonly RegExp[]): Promise<{ stdout: string; stderr: string; unmatched: string[]; ended: string }> {
  const child = spawn(process.execPath, [file], { cwd: work, env: { ...userEnv, NODE_DEBUG: '', RTSP_URL: camera!.url }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const unmatched = () => patterns.filter((pattern) => !stdout.split('\n').some((line) => pattern.test(line)));
  const ended = new Promise<string>((resolve) => child.once('close', (code, signal) => resolve(signal === null ? `code ${code}` : `signal ${signal}`)));
  let exited = false;
  void ended.then(() => (exited = true));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    const check = () => {
      if (unmatched().length > 0) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void ended.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  for (let i = 0; i < 10 && !exited; i++) await sleep(100);
  if (!exited) child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const how = await ended;
  clearTimeout(killer);
  return { stdout, stderr, unmatched: unmatched().map(String), ended: how };
}
