// Builds the package twice from one source: ESM (the package's own type) and CommonJS,
// each with its own declarations, so `import` and `require` both get matching types.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (...args) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...args], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run('--outDir', 'dist/esm');
// Checked once, above: the same sources emitted again for require().
run('--outDir', 'dist/cjs', '--module', 'CommonJS', '--moduleResolution', 'Node10', '--noCheck');
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);

// CommonJS has no import.meta; the modules that need their own location get __filename.
for (const file of readdirSync('dist/cjs', { recursive: true })) {
  if (!String(file).endsWith('.js')) continue;
  const path = join('dist/cjs', String(file));
  const code = readFileSync(path, 'utf8');
  if (code.includes('import.meta.url')) writeFileSync(path, code.replaceAll('import.meta.url', 'require("node:url").pathToFileURL(__filename).href'));
}

// tsc copies no Python: the test camera's GStreamer server goes beside the module that runs it.
for (const tree of ['dist/esm', 'dist/cjs']) copyFileSync('src/testing/rtsp-camera.py', join(tree, 'testing/rtsp-camera.py'));
