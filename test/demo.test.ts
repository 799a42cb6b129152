import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startExample } from './example-process.js';
import { sleep } from './opencv/support.js';

/** Debian's Chromium, kept off the network: this machine reaches nothing but loopback. */
const launchChromium = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

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

const text = (page: Page, selector: string) => () => page.textContent(selector).then((value) => value ?? '');
const pictureOf = (page: Page) => page.locator('#picture').screenshot();
const running = (pattern: string) => {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').length;
  } catch {
    return 0;
  }
};

describe('npm run demo, in a real browser', () => {
  it('shows the live picture and the connection state, follows a killed camera to reconnecting and back, and stops cleanly on Ctrl-C', async () => {
    const demo = await startExample('examples/demo/main.ts', ['--port', '0', '--fault-every', '12'], { ready: /open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/ });
    const browser = await launchChromium();
    let stopped: ReturnType<typeof demo.stop>;
    try {
      const page = await browser.newPage({ viewport: { width: 1040, height: 600 } });
      await page.goto(demo.address);

      await until('the state', text(page, '#state'), (state) => state === 'connected');
      await until('the delivered rate', text(page, '#fps'), (fps) => Number(fps) >= 15);
      expect(await page.textContent('#latency')).toMatch(/^\d+ ms$/);
      expect(await page.evaluate("[document.getElementById('picture').naturalWidth, document.getElementById('picture').naturalHeight]")).toEqual([640, 480]);
      const first = await pictureOf(page);
      await sleep(500);
      expect((await pictureOf(page)).equals(first)).toBe(false);

      await until('the kill', async () => demo.output(), (lines) => lines.includes('fault: camera killed'), 40_000);
      await until('the state after the kill', text(page, '#state'), (state) => state === 'reconnecting');
      await until('the state once the camera is back', text(page, '#state'), (state) => state === 'connected', 20_000);
      expect(Number(await page.textContent('#reconnects'))).toBeGreaterThan(0);
      expect(await page.textContent('#history')).toMatch(/reconnecting ECONNRESET|reconnecting ENDED/);
      const back = await pictureOf(page);
      await until('the picture after the reconnect', () => pictureOf(page), (picture) => !picture.equals(back), 5000);
      // Right after a connect, OpenCV hands over what it read ahead in a burst; then the camera's own rate.
      await until('the delivered rate after the reconnect', text(page, '#fps'), (fps) => Number(fps) >= 15 && Number(fps) <= 26);
      // The README's screenshot is taken here: DEMO_SCREENSHOT=docs/dashboard.png npx vitest run test/demo.test.ts
      if (process.env['DEMO_SCREENSHOT']) writeFileSync(process.env['DEMO_SCREENSHOT'], await page.screenshot());
    } finally {
      await browser.close();
      stopped = demo.stop('SIGINT');
    }
    expect((await stopped).code).toBe(0);
    expect(demo.output()).toMatch(/stopped: cameras released, simulator closed/);
    expect(demo.output()).not.toMatch(/Error|ERROR/);
    expect([running('rtsp-camera.py'), running('capture-process')]).toEqual([0, 0]);
  }, 90_000);
});
