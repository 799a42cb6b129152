import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

describe('npm run demo', () => {
  it('shows an outage with back-off and recovery, without the password, and releases the camera', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [tsx, 'examples/demo.ts'], { cwd: root, timeout: 30_000 });
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    const states = lines.filter((line) => line.includes(' state ')).map((line) => line.replace(/^.* state\s+/, ''));
    expect(states).toEqual([
      'connecting',
      'connected 320x240 @ 10 fps fake',
      'reconnecting: #1 in 500 ms after ECONNRESET',
      'connecting (reconnect #1)',
      'reconnecting: #2 in 1000 ms after ECONNREFUSED',
      'connecting (reconnect #2)',
      'reconnecting: #3 in 2000 ms after ECONNREFUSED',
      'connecting (reconnect #3)',
      'connected 320x240 @ 10 fps fake',
      'reconnecting: #1 in 500 ms after STALLED',
      'connecting (reconnect #1)',
      'connected 320x240 @ 10 fps fake',
    ]);
    expect(lines.filter((line) => line.includes(' frames ')).length).toBeGreaterThanOrEqual(6);
    expect(stdout).toMatch(/stopped: 5 attempts made, 0 capture\(s\) still open/);
    expect(stdout).not.toContain('s3cret');
  }, 40_000);
});
