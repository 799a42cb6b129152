import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStamp, startTestCamera, type TestCamera } from '../src/testing/index.js';
import { runRtspRx, startRtspRx } from './cli-process.js';

const PASSWORD = 'Cli-9d2e-Secret';
const scratch = mkdtempSync(join(tmpdir(), 'rtsp-rx-cli-'));
const rtspRx = (args: string[], env: NodeJS.ProcessEnv = {}) => runRtspRx(args, scratch, env);
const running = (args: string[], terminal: boolean) => startRtspRx(args, scratch, terminal);

let open: TestCamera;
let locked: TestCamera;
const withoutPassword = (camera: TestCamera) => camera.url.replace(`:${encodeURIComponent(PASSWORD)}@`, '@');

beforeAll(async () => {
  [open, locked] = await Promise.all([startTestCamera({ width: 320, height: 240, fps: 25 }), startTestCamera({ width: 320, height: 240, auth: { user: 'viewer', password: PASSWORD } })]);
});
afterAll(async () => Promise.all([open?.close(), locked?.close()]));

// Side by side: each command is a process of its own, writing files of its own.
describe.concurrent('the rtsp-rx command', () => {
  it('--help names every command, and each command has its own', async () => {
    const { code, output } = await rtspRx(['--help']);
    expect(code).toBe(0);
    expect(output).toMatch(/probe \[options\] <url\.\.\.>/);
    expect(output).toMatch(/snapshot \[options\] <url>/);
    expect(output).toMatch(/RTSP_RX_PASSWORD/);
    expect((await rtspRx(['probe', '--help'])).output).toMatch(/--json/);
  });

  it('probe: codec, size, fps, transport and the times to open and to the first frame; --json for scripts', async () => {
    const [{ code, output }, json] = await Promise.all([rtspRx(['probe', open.url]), rtspRx(['probe', '--json', open.url])]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/: h264 320x240 at 25 fps over tcp; opened in \d+ ms, first frame in \d+ ms\n$/);
    const [result] = JSON.parse(json.output) as Array<{ ok: boolean; info: object; openMs: number; firstFrameMs: number }>;
    expect(result).toMatchObject({ ok: true, info: { width: 320, height: 240, fps: 25, codec: 'h264', transport: 'tcp' } });
    expect(result!.firstFrameMs).toBeGreaterThanOrEqual(result!.openMs);
  });

  it('probe of a refused port and a wrong password: each typed error with its hint, exit code 1, the password nowhere', async () => {
    const refused = open.url.replace(/:\d+\//, ':9/');
    const { code, output } = await rtspRx(['probe', refused, withoutPassword(locked)], { RTSP_RX_USERNAME: 'viewer', RTSP_RX_PASSWORD: 'Not-The-Password' });
    expect(code).toBe(1);
    expect(output).toMatch(/ECONNREFUSED: .*\n {2}hint: nothing listens there/);
    expect(output).toMatch(/UNAUTHORIZED: .*\n {2}hint: check the user name and password/);
    expect(output).not.toContain('Not-The-Password');
  });

  it('refuses a password on the command line, where every local user can read it', async () => {
    const { code, output } = await rtspRx(['probe', locked.url]);
    expect(code).toBe(2);
    expect(output).toMatch(/would show in every process list: give it in RTSP_RX_PASSWORD/);
    expect(output).not.toContain(PASSWORD);
  });

  it('snapshot: one frame as JPEG, or as PNG, with the credentials from a file', async () => {
    writeFileSync(join(scratch, 'credentials'), `viewer:${PASSWORD}\n`);
    const [jpeg, png] = await Promise.all([
      rtspRx(['snapshot', open.url, '-o', 'door.jpg']),
      rtspRx(['snapshot', '--credentials-file', 'credentials', withoutPassword(locked), '-o', 'yard.png']),
    ]);
    expect(jpeg.code, jpeg.output).toBe(0);
    expect(jpeg.output).toMatch(/^door\.jpg: 320x240, \d+ bytes\n$/);
    const data = readFileSync(join(scratch, 'door.jpg'));
    expect([...data.subarray(0, 2), ...data.subarray(-2)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);

    expect(png.code, png.output).toBe(0);
    const picture = PNG.sync.read(readFileSync(join(scratch, 'yard.png')));
    expect([picture.width, picture.height]).toEqual([320, 240]);
    // The camera's own picture: its stamp reads back (RGBA to RGB first).
    const rgb = Buffer.alloc(320 * 240 * 3);
    for (let pixel = 0; pixel < 320 * 240; pixel++) picture.data.copy(rgb, pixel * 3, pixel * 4, pixel * 4 + 3);
    expect(readStamp({ data: rgb, width: 320, height: 240, channels: 3 })).toBeDefined();
    expect(png.output).not.toContain(PASSWORD);
  });

  it('watch, off a terminal: a line per change of state, the refused camera retried with its error; Ctrl-C stops it', async () => {
    const refused = open.url.replace(/:\d+\//, ':9/');
    const watch = running(['watch', open.url, refused], false);
    await watch.until(/:\d+\/cam: connected \d+\.\d s, \d+ fps/);
    await watch.until(/:9\/cam: reconnecting .*last error ECONNREFUSED/);
    expect(await watch.interrupt()).toBe(0);
    expect(watch.output()).not.toMatch(/\x1b\[/);
  });

  it('watch, on a terminal: a table redrawn in place, the camera connected at its frame rate', async () => {
    const watch = running(['watch', open.url], true);
    await watch.until(/connected [\d.]+ s\s+2\d\s+\d+ ms/);
    // Redrawn in place: the cursor goes back up over the last table.
    expect(watch.output()).toMatch(/\x1b\[2A/);
    const screen = watch.output().split(/\x1b\[[0-9;]*[A-Za-z]/).at(-1)!;
    expect(screen).toMatch(/^camera\s+state\s+fps\s+age\s+reconnects\s+last error/m);
    expect(await watch.interrupt()).toBe(0);
  });

  it('names a snapshot format it cannot write', async () => {
    const { code, output } = await rtspRx(['snapshot', open.url, '-o', 'door.gif']);
    expect(code).toBe(2);
    expect(output).toMatch(/--output door\.gif: a snapshot is a JPEG \(\.jpg, \.jpeg\) or a PNG \(\.png\)/);
  });
});
