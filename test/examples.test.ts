import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, type TestCamera } from '../src/testing/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let camera: TestCamera;
beforeAll(async () => (camera = await startTestCamera()));
afterAll(async () => camera.close());

async function run(example: string, env: Record<string, string>): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `examples/${example}`], {
    cwd: root,
    env: { ...process.env, NODE_DEBUG: '', DURATION: '6', ...env },
    timeout: 30_000,
  });
  expect(stderr).toBe('');
  return stdout;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('examples/ run against the test camera', () => {
  it('basic.ts prints the state and a frame a second', async () => {
    const output = await run('basic.ts', { RTSP_URL: camera.url });
    expect(output).toMatch(/^state {2}connecting$/m);
    expect(output).toMatch(/^state {2}connected 320x240 @ 25 fps h264$/m);
    expect(output).toMatch(/^frame {2}#\d+ 320x240 bgr, \d+ ms old$/m);
  }, 40_000);

  it('detect.ts reports the moving ball, with the capture time of its frame', async () => {
    const output = await run('detect.ts', { RTSP_URL: camera.url });
    expect(output).toMatch(/^motion \d+\.\d % of the picture, frame #\d+ captured \d{4}-\d\d-\d\dT/m);
  }, 40_000);

  it('multi-camera.ts keeps a good camera streaming while another one fails', async () => {
    const refused = `rtsp://127.0.0.1:${await closedPort()}/cam`;
    const output = await run('multi-camera.ts', { RTSP_URLS: `${camera.url},${refused}` });
    expect(output).toContain(`cam1 is ${camera.url}\ncam2 is ${refused}\n`);
    expect(output).toMatch(/^states cam1: connected \| cam2: (reconnecting|connecting)$/m);
    expect(output).toMatch(/^frame {2}cam1 #\d+, 0 reconnects$/m);
  }, 40_000);

  it('imperative.ts reads the newest frame in a loop and stops cleanly', async () => {
    const output = await run('imperative.ts', { RTSP_URL: camera.url });
    expect(output).toMatch(/^connected 320x240$/m);
    expect(output).toMatch(/^read #\d+, connected true, 25 fps, 0 reconnects$/m);
    expect(output.trim().split('\n').at(-1)).toBe('stopped');
  }, 40_000);
});
