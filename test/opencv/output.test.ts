import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let cam: TestCamera | undefined;

afterEach(async () => {
  await cam?.close();
});

describe("the capture engine's output", () => {
  it("keeps the addon's and FFmpeg's messages out of the application's output, and in NODE_DEBUG=rtsp-rx", async () => {
    cam = await startTestCamera();
    const script = `
      import { rtspFrames$ } from './src/index.ts';
      import { opencvCaptureSource } from './src/opencv/index.ts';
      import { take } from 'rxjs';
      rtspFrames$(${JSON.stringify(cam.url.replace('/cam', '/missing'))}, { source: opencvCaptureSource(), maxReconnectAttempts: 0 }).subscribe({ error: () => {
        rtspFrames$(${JSON.stringify(cam.url)}, { source: opencvCaptureSource() }).pipe(take(5)).subscribe({ complete: () => console.log('done') });
      } });
    `;
    const run = (env: NodeJS.ProcessEnv) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 });
    const quiet = await run({ NODE_DEBUG: '' });
    expect(quiet.stdout).toBe('done\n');
    expect(quiet.stderr).toBe('');
    const debug = await run({ NODE_DEBUG: 'rtsp-rx' });
    expect(debug.stdout).toBe('done\n');
    expect(debug.stderr).toMatch(/RTSP-RX \d+: debug capture \d+: .*Info:/);
    expect(debug.stderr).toMatch(/RTSP-RX \d+: debug capture \d+: .*404 Not Found/);
  }, 60_000);
});
