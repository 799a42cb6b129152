import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rtspConnection, rtspEvents$, rtspFrames$ } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';
import { recordingLogger } from './recording-logger.js';
import { virtualTime } from './virtual-time.js';

const CAMERA_URL = 'rtsp://viewer:s3cret-Pass@127.0.0.1:8554/cam';

const STORY = [
  'debug connecting: rtsp://viewer:***@127.0.0.1:8554/cam',
  'info connected 32x24 @ 25 fps fake: rtsp://viewer:***@127.0.0.1:8554/cam',
  'warn reconnecting: #1 in 1000 ms after ECONNRESET: fake camera dropped the stream',
  'debug connecting (reconnect #1): rtsp://viewer:***@127.0.0.1:8554/cam',
  'error failed after 1 reconnect attempt(s): ECONNREFUSED: giving up on rtsp://viewer:***@127.0.0.1:8554/cam: fake camera refused the connection',
];

describe('every API logs the same lifecycle lines, never the password', () => {
  it.each([
    ['rtspFrames$', (options: object, scheduler: never) => rtspFrames$(CAMERA_URL, options as never, scheduler).subscribe({ error: () => undefined })],
    ['rtspEvents$', (options: object, scheduler: never) => rtspEvents$(CAMERA_URL, options as never, scheduler).subscribe()],
    ['rtspConnection, two subscribers, one log', (options: object, scheduler: never) => {
      const camera = rtspConnection(CAMERA_URL, options as never, scheduler);
      camera.connection$.subscribe();
      camera.frames$.subscribe({ error: () => undefined });
    }],
  ])('%s', (_, open) => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ width: 32, height: 24, fps: 25, attempts: [{ outcome: 'stream', frames: 2, then: 'drop' }, { outcome: 'refuse' }] }, scheduler);
    const { lines, logger } = recordingLogger();
    open({ source, logger, maxReconnectAttempts: 1, reconnectDelay: 1000 }, scheduler as never);
    advanceTo(5000);
    expect(lines).toEqual(STORY);
  });

  it('writes them under NODE_DEBUG=rtsp-rx when no logger is given', () => {
    const script = `
      import { rtspFrames$ } from ${JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))};
      import { fakeCaptureSource } from ${JSON.stringify(fileURLToPath(new URL('../src/testing/index.ts', import.meta.url)))};
      const subscription = rtspFrames$(${JSON.stringify(CAMERA_URL)}, { source: fakeCaptureSource({ fps: 25 }) }).subscribe();
      setTimeout(() => subscription.unsubscribe(), 200);`;
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const { stderr } = spawnSync(process.execPath, [tsx, '--input-type=module', '--eval', script], { env: { ...process.env, NODE_DEBUG: 'rtsp-rx' }, encoding: 'utf8' });
    expect(stderr).toMatch(/^RTSP-RX \d+: debug connecting: rtsp:\/\/viewer:\*\*\*@127\.0\.0\.1:8554\/cam$/m);
    expect(stderr).not.toContain('s3cret-Pass');
  });
});
