import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { startExample, startNpmScript, type ExampleProcess } from './example-process.js';
import { startTestCamera } from '../src/testing/index.js';
import { sleep } from './opencv/support.js';


/**
 * A time zone in which it is now just past midnight, so a clock that writes 24:00 to 24:59
 * (as Node's and Chromium's `hour12: false` do in some locales) shows it in this test.
 */
function justPastMidnight(): string {
  let offset = -new Date().getUTCHours();
  if (offset < -12) offset += 24;
  // Etc/GMT names count the other way: Etc/GMT+9 is nine hours behind UTC.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
const ZONE = justPastMidnight();
/** A time of day as the demo writes it: 00 to 23 hours, and in {@link ZONE} the hour is 00 or 01. */
const CLOCK = /^(00|01):[0-5]\d:[0-5]\d$/;
/** The time of day in a line the demo logged: its own lines start with it, Nest's have it after the process id. */
const loggedTime = (line: string) => /^(?:\S*\[Nest\] \d+ +- \S*)?(\d\d:\d\d:\d\d) /.exec(line)?.[1];

/** Waits until `read()` gives a value that passes `test`; returns it. */
async function until<T>(what: string, read: () => Promise<T>, test: (value: T) => boolean, timeout = 20_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeout} ms`);
    await sleep(100);
  }
}

/**
 * Every process of one demo run, and only those, carries this in its environment: the demo's
 * processes can then be told from the other tests' cameras and captures running beside it.
 */
const demoRun = () => ({ RTSP_RX_DEMO_RUN: randomUUID() });

/** The processes of the demo run `run` whose command line contains `pattern`. */
function running(run: ReturnType<typeof demoRun>, pattern: string): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ours = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`RTSP_RX_DEMO_RUN=${run.RTSP_RX_DEMO_RUN}`);
      if (ours && readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(pattern)) count++;
    } catch {
      // It ended while we looked.
    }
  }
  return count;
}

/** One camera's panel on the page. */
function panel(page: Page, camera: string) {
  const root = page.locator(`section.camera[data-camera="${camera}"]`);
  const text = (selector: string) => () => root.locator(selector).innerText();
  const visible = (selector: string) => () => root.locator(selector).isVisible();
  return {
    state: text('.state'),
    fps: async () => Number(await text('.fps')()),
    latency: text('.latency'),
    reconnects: async () => Number(await text('.reconnects')()),
    stamp: text('.stamp'),
    history: text('.history'),
    historyTimes: () => root.locator('.history time').allInnerTexts(),
    stale: visible('.stale'),
    notice: text('.notice'),
    /** How many points each sparkline draws. */
    sparkPoints: () => root.locator('.spark path').evaluateAll((paths) => paths.map((path) => (path.getAttribute('d') ?? '').split(/[ML]/).filter(Boolean).length)),
    pictureSize: () => root.locator('.picture').evaluate((image) => [(image as { naturalWidth: number }).naturalWidth, (image as { naturalHeight: number }).naturalHeight]),
    picture: () => root.locator('.picture').screenshot(),
  };
}
type Panel = ReturnType<typeof panel>;

/** A picture that changes within 5 s is live (it changes at every frame of a moving camera). */
async function expectMoving(camera: Panel): Promise<void> {
  const first = await camera.picture();
  await until('a changed picture', () => camera.picture(), (picture) => !picture.equals(first), 5000);
}

/** Text a page shows before it knows a value, or shows for a value it failed to read. */
const PLACEHOLDER = /undefined|null|NaN|Infinity|\[object|Faults: off|—|…/;

/** Checks that the demo, sent a signal, released everything, said so and exited 0. */
async function expectCleanStop(demo: ExampleProcess, run: ReturnType<typeof demoRun>, exited: ReturnType<ExampleProcess['stop']>, { closed = 'simulators closed' } = {}): Promise<void> {
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(demo.output()).toContain(`stopped: cameras released, ${closed}`);
  expect(demo.output()).not.toMatch(/Error|ERROR/);
  expect([running(run, 'rtsp-camera.py'), running(run, 'capture-process'), running(run, 'examples/demo/main.ts')]).toEqual([0, 0, 0]);
}

describe('npm run demo, in a real browser', () => {
  it('shows two cameras side by side, marks the stalled one stale with its age while the other streams on, follows it back, and stops on SIGTERM to npm', async () => {
    const run = demoRun();
    const demo = await startNpmScript('demo', ['--port', '0', '--fault-every', '12'], { ready: /open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/, env: { TZ: ZONE, ...run }, timeout: 60_000 });
    const browser = await launchChromium();
    let exited;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, timezoneId: ZONE });
      await page.goto(demo.address);
      const broken = panel(page, 'demo');
      const steady = panel(page, 'steady');
      const [left, right] = await page.locator('section.camera').evaluateAll((sections) => sections.map((section) => section.getBoundingClientRect()));
      expect(left!.top, 'the two cameras side by side').toBe(right!.top);
      expect(left!.right).toBeLessThan(right!.left);

      for (const camera of [broken, steady]) {
        await until('the state', camera.state, (state) => state === 'connected');
        await until('the delivered rate', camera.fps, (fps) => fps >= 15);
        expect(await camera.latency()).toMatch(/^\d+ ms$/);
        expect(await camera.pictureSize()).toEqual([640, 480]);
        await expectMoving(camera);
        expect(await camera.stamp()).toMatch(/^Stamp read from the newest frame: #\d+, sent at \d\d:\d\d:\d\d\.\d{3}$/);
        expect(await camera.stale()).toBe(false);
      }
      expect(await page.locator('#faults').innerText()).toMatch(/^Camera demo is broken every 12 s \(stall, kill, restart in turn\); steady is left alone\. Next: stall in \d+ s\.$/);
      expect(await page.locator('#stamp-caption').innerText()).toMatch(/blocks along the top .* are its stamp.*index.*latency/s);
      expect(await page.locator('body').innerText()).not.toMatch(PLACEHOLDER);

      // The stall: the demo camera freezes, its picture is marked stale with an age that grows.
      await until('the stale notice', broken.stale, Boolean, 15_000);
      const age = async () => Number(/picture (\d+\.\d) s old/.exec(await broken.notice())?.[1] ?? NaN);
      const firstAge = await until('the picture age', age, (seconds) => seconds >= 0);
      await until('an older picture age', age, (seconds) => seconds >= firstAge + 1, 5000);
      expect(await broken.notice()).toMatch(/^NOT LIVE\s+picture \d+\.\d s old\s+(no frame for a second|camera reconnecting: STALLED|camera connecting)$/);
      // The camera beside it streams on.
      expect(await steady.state()).toBe('connected');
      expect(await steady.stale()).toBe(false);
      expect(await steady.fps()).toBeGreaterThanOrEqual(15);
      await expectMoving(steady);
      await until('the stall seen as STALLED', broken.history, (history) => /reconnecting STALLED/.test(history), 10_000);
      // The README's screenshot: DEMO_SCREENSHOT=docs/dashboard.png npx vitest run test/demo.test.ts
      if (process.env['DEMO_SCREENSHOT']) writeFileSync(process.env['DEMO_SCREENSHOT'], await page.screenshot({ fullPage: true }));

      // The camera thaws: connected again, the notice gone, the picture moving. (The kill and
      // the restart that follow are the faults test's business.)
      await until('the state once the camera is back', broken.state, (state) => state === 'connected', 20_000);
      await until('the notice gone', broken.stale, (shown) => !shown, 5000);
      await expectMoving(broken);
      expect(await broken.reconnects()).toBeGreaterThanOrEqual(1);
      expect(await steady.reconnects()).toBe(0);
      expect(await steady.history()).not.toMatch(/reconnecting/);

      // A minute's figures, drawn one point a second.
      for (const camera of [broken, steady]) {
        const [fpsPoints, latencyPoints] = await camera.sparkPoints();
        expect(fpsPoints).toBeGreaterThanOrEqual(10);
        expect(latencyPoints).toBeGreaterThanOrEqual(5);
      }
      // Every time of day shown or logged is on a 24-hour clock (here, just past midnight).
      const times = [...(await broken.historyTimes()), ...(await steady.historyTimes())];
      expect(times.length).toBeGreaterThanOrEqual(5);
      for (const time of times) expect(time).toMatch(CLOCK);
      for (const line of demo.output().trim().split('\n')) expect(loggedTime(line), line).toMatch(CLOCK);
      expect(await page.locator('body').innerText()).not.toMatch(PLACEHOLDER);
    } finally {
      await browser.close();
      exited = demo.stop('SIGTERM');
    }
    await expectCleanStop(demo, run, exited);
  }, 120_000);

  it('shows a camera of your own (RTSP_URL) beside the simulator, with --no-faults says so, and stops on SIGINT to its own process', async () => {
    const yours = await startTestCamera({ width: 320, height: 240, auth: { user: 'viewer', password: 'demo-secret-42' } });
    const run = demoRun();
    const demo = await startExample('examples/demo/main.ts', ['--port', '0', '--no-faults'], { ready: /open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/, env: { RTSP_URL: yours.url, ...run } });
    const browser = await launchChromium();
    let exited;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.goto(demo.address);
      const own = panel(page, 'yours');
      await until('the state', own.state, (state) => state === 'connected');
      await until('the delivered rate', own.fps, (fps) => fps >= 15);
      expect(await own.pictureSize()).toEqual([320, 240]);
      expect(await own.latency()).toBe('not measured');
      expect(await own.stamp()).toBe('No stamp on this camera: its latency is not measured.');
      await until('the simulator beside it', panel(page, 'demo').state, (state) => state === 'connected');
      expect(await page.locator('#faults').innerText()).toBe('Faults off (--no-faults): both cameras are left alone.');
      const shown = await page.locator('body').innerText();
      expect(shown).toMatch(/your camera \(RTSP_URL\), left alone · rtsp:\/\/viewer:\*{3}@127\.0\.0\.1:\d+\/cam/);
      expect(shown + (await page.content()) + demo.output()).not.toContain('demo-secret-42');
    } finally {
      await browser.close();
      exited = demo.stop('SIGINT');
    }
    await expectCleanStop(demo, run, exited, { closed: 'simulator closed' });
    await yours.close();
  }, 60_000);
});
