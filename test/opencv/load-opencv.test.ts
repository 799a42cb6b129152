import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/opencv/index.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

describe('loadOpenCv', () => {
  it("loads the addon with none of its own output in the application's, and toMat works with it", () => {
    const script = `
      import { loadOpenCv, toMat } from ${JSON.stringify(entry)};
      const cv = loadOpenCv();
      const mat = toMat({ data: Buffer.from([10, 20, 30, 40, 50, 60]), width: 3, height: 2, channels: 1, pixelFormat: 'gray', capturedAt: 0 }, cv);
      console.log(mat.cols, mat.rows, mat.at(1, 2));
      mat.release();`;
    // Without the build variable set, as in an application that never heard of it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'OPENCV4NODEJS_DISABLE_AUTOBUILD'));
    const { stdout, stderr, status } = spawnSync(process.execPath, [tsx, '--input-type=module', '--eval', script], { env, encoding: 'utf8' });
    expect({ stdout, stderr, status }).toEqual({ stdout: '3 2 60\n', stderr: '', status: 0 });
  });
});
