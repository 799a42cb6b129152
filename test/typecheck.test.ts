import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** `tsc --noEmit` over a project, as `npm run typecheck` runs it: its diagnostics, empty when none. */
const typecheck = (project: string): Promise<string> =>
  new Promise((resolve) => {
    execFile(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', project], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });

// Here rather than before the tests: the type-check takes a core while the other takes a test file.
describe.concurrent('the type-check (npm run typecheck)', () => {
  it('passes over the sources, tests, marbles, examples and benchmarks', async () => {
    expect(await typecheck('tsconfig.json')).toBe('');
  }, 120_000);

  it('passes over the Angular example, with its own compiler settings', async () => {
    expect(await typecheck('examples/angular/tsconfig.json')).toBe('');
  }, 120_000);
});
