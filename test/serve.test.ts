import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCamera, type TestCamera } from '../src/testing/index.js';
import { launchChromium } from './chromium.js';
import { startRtspRx } from './cli-process.js';
import { sleep } from './opencv/support.js';

const PASSWORD = 'Serve-41c7-Secret';
const scratch = mkdtempSync(join(tmpdir(), 'rtsp-rx-serve-'));
const config = join(scratch, 'cameras.yaml');

let door: TestCamera;
let yard: TestCamera;
let gate: TestCamera;

beforeAll(async () => {
  [door, yard, gate] = await Promise.all([
    startTestCamera({ width: 320, height: 240, fps: 15 }),
    startTestCamera({ width: 320, height: 240, fps: 15 }),
    startTestCamera({ width: 320, height: 240, fps: 15, auth: { user: 'viewer', password: PASSWORD } }),
  ]);
});
afterAll(async () => Promise.all([door?.close(), yard?.close(), gate?.close()]));

const withoutPassword = (camera: TestCamera) => camera.url.replace(`viewer:${encodeURIComponent(PASSWORD)}@`, '');

/** A cameras file: door and yard as they are, gate with its credentials apart from the URL; yard's stalls are noticed in 1 s. */
function writeCameras(names: readonly string[]): void {
  const entries: Record<string, string> = {
    door: `  door: { url: "${door.url}" }`,
    yard: `  yard:\n    url: "${yard.url}"\n    stallTimeout: 1000\n    reconnectDelay: 200`,
    gate: `  gate:\n    url: "${withoutPassword(gate)}"\n    credentials: { username: viewer, password: "${PASSWORD}" }\n    size: { width: 160, height: 120 }`,
  };
  writeFileSync(config, `# the cameras rtsp-rx serve shows\ncameras:\n${names.map((name) => entries[name]).join('\n')}\n`);
}

/** Prometheus' text format: each sample's value by its name and labels, as written. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [, series, value] = /^(\S+(?:\{[^}]*\})?) (\S+)$/.exec(line) ?? [];
    if (series === undefined) throw new Error(`not a sample: ${line}`);
    samples.set(series, Number(value));
  }
  return samples;
}

interface CameraJson {
  readonly name: string;
  readonly state: { readonly status: string; readonly info?: { readonly pid?: number } };
  readonly frames: number;
}

describe('rtsp-rx serve', () => {
  it('serves a dashboard of three cameras from a file, one of them broken on schedule, with /metrics; follows edits of the file; Ctrl-C releases everything', async () => {
    writeCameras(['door', 'yard', 'gate']);
    const serve = startRtspRx(['serve', '--config', config, '--port', '0'], scratch, false);
    const browser = await launchChromium();
    try {
      const [, base] = await serve.until(/rtsp-rx serve: (http:\/\/127\.0\.0\.1:\d+\/) \(3 cameras from /);
      const get = async (path: string) => fetch(new URL(path, base));
      const page = await browser.newPage();
      await page.goto(base!);
      const panel = (name: string) => page.locator(`section.camera[data-camera="${name}"]`);
      const pictureWidth = (name: string) => panel(name).locator('img').evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth);

      // Every camera live on the page: connected, frames counted, its picture playing.
      for (const name of ['door', 'yard', 'gate']) {
        await panel(name).locator('.state.connected').waitFor({ timeout: 20_000 });
        await expect.poll(async () => Number(await panel(name).locator('.frames').innerText()), { timeout: 10_000 }).toBeGreaterThan(10);
      }
      expect(await pictureWidth('door')).toBe(320);
      expect(await pictureWidth('gate'), 'the size the file gives').toBe(160);
      expect(await page.content()).not.toContain(PASSWORD);

      // A snapshot of each, and a clear answer for a camera there is not.
      const snapshot = await get('cameras/yard/snapshot.jpg');
      expect([snapshot.status, snapshot.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
      expect([...new Uint8Array(await snapshot.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
      const missing = await get('cameras/porch/snapshot.jpg');
      expect([missing.status, await missing.text()]).toEqual([404, 'no camera named porch; the cameras are door, yard, gate\n']);

      // The schedule: yard freezes for 4 s, then comes back. Noticed in a second; then a new
      // attempt waits on the frozen server.
      yard.pause();
      await expect.poll(() => panel('yard').locator('.state').getAttribute('class'), { timeout: 10_000 }).not.toMatch(/\bconnected\b/);
      expect(await panel('yard').locator('.error').innerText()).toMatch(/^STALLED: /);
      const during = parseMetrics(await (await get('metrics')).text());
      expect(during.get('rtsp_rx_camera_up{camera="yard"}')).toBe(0);
      expect(during.get('rtsp_rx_camera_up{camera="door"}'), 'the others go on').toBe(1);
      await sleep(4000);
      yard.resume();
      await panel('yard').locator('.state.connected').waitFor({ timeout: 20_000 });
      expect(Number(await panel('yard').locator('.reconnects').innerText())).toBeGreaterThanOrEqual(1);
      expect(await panel('yard').locator('.history').innerText()).toMatch(/reconnecting STALLED/);

      // Scraped and parsed: each camera's frames, state, reconnects and its capture process.
      const metricsText = await (await get('metrics')).text();
      expect(metricsText).not.toContain(PASSWORD);
      const metrics = parseMetrics(metricsText);
      for (const name of ['door', 'yard', 'gate']) {
        expect(metrics.get(`rtsp_rx_camera_frames_total{camera="${name}"}`), name).toBeGreaterThan(10);
        expect(metrics.get(`rtsp_rx_camera_state{camera="${name}",state="connected"}`), name).toBe(1);
        expect(metrics.get(`rtsp_rx_capture_process_resident_memory_bytes{camera="${name}"}`), name).toBeGreaterThan(1_000_000);
        expect(metrics.get(`rtsp_rx_capture_process_cpu_seconds_total{camera="${name}"}`), name).toBeGreaterThan(0);
        expect(metrics.get(`rtsp_rx_camera_frame_age_seconds{camera="${name}"}`), name).toBeLessThan(2);
      }
      expect(metrics.get('rtsp_rx_camera_reconnects_total{camera="yard"}')).toBeGreaterThanOrEqual(1);
      expect(metrics.get('rtsp_rx_camera_reconnects_total{camera="door"}')).toBe(0);
      expect(metrics.get('process_resident_memory_bytes'), "serve's own process").toBeGreaterThan(0);

      // The file edited: gate goes, and a mistake in yard's new entry keeps its old one.
      writeCameras(['door', 'yard']);
      await panel('gate').waitFor({ state: 'detached', timeout: 10_000 });
      writeFileSync(config, `cameras:\n  door: { url: "${door.url}" }\n  yard: { url: "${yard.url}", stallTimeout: -5 }\n`);
      await serve.until(/camera yard: .*option stallTimeout must be .*; it keeps its last good entry/);
      writeFileSync(config, 'cameras: [door');
      await serve.until(/cameras\.yaml: not YAML: .*; the cameras stay as they were/);
      const cameras = (await (await get('api/cameras')).json()) as CameraJson[];
      expect(cameras.map((camera) => [camera.name, camera.state.status])).toEqual([
        ['door', 'connected'],
        ['yard', 'connected'],
      ]);
      expect(parseMetrics(await (await get('metrics')).text()).has('rtsp_rx_camera_up{camera="gate"}')).toBe(false);

      const pids = cameras.map((camera) => camera.state.info?.pid);
      expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
      await page.close();
      expect(await serve.interrupt()).toBe(0);
      expect(pids.filter((pid) => existsSync(`/proc/${pid}`)), 'capture processes left behind').toEqual([]);
      expect(serve.output()).not.toContain(PASSWORD);
      expect(serve.output()).toMatch(/gate: removed/);
    } finally {
      await browser.close();
      await serve.interrupt();
    }
  }, 120_000);
});
