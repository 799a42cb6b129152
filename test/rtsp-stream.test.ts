import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RtspStream, type RtspStreamOptions } from '../src/opencv/index.js';
import { fakeCaptureSource, type FakeAttempt } from '../src/testing/index.js';
import { ReconnectExhaustedError, type ConnectionState } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { virtualTime } from './virtual-time.js';

const URL = 'rtsp://viewer:s3cret-Pass@127.0.0.1:8554/cam';

function streamOf(attempts: FakeAttempt[], options: RtspStreamOptions = {}) {
  const { scheduler, advanceTo } = virtualTime();
  const source = fakeCaptureSource({ width: 32, height: 24, fps: 25, attempts }, scheduler);
  const { lines, logger } = recordingLogger();
  const stream = new RtspStream(URL, { source, logger, reconnectDelay: 1000, ...options }, scheduler);
  return { stream, source, lines, advanceTo };
}

describe('RtspStream', () => {
  it('reads nothing before start() and before the first frame, then the newest frame, then nothing after stop()', () => {
    const { stream, source, advanceTo } = streamOf([{ outcome: 'stream' }]);
    expect(stream.read()).toBeUndefined();
    expect(stream.start()).toBe(stream);
    expect(stream.read()).toBeUndefined();
    advanceTo(100);
    expect(stream.read()?.sequence).toBe(2);
    expect([stream.isConnected, stream.fps, stream.frameWidth, stream.frameHeight, stream.reconnectCount]).toEqual([true, 25, 32, 24, 0]);
    stream.stop();
    expect(stream.read()).toBeUndefined();
    expect(stream.isConnected).toBe(false);
    expect(source.active).toBe(0);
  });

  it('start() and stop() are idempotent, and start() after stop() is an error', () => {
    const { stream, source, advanceTo } = streamOf([{ outcome: 'stream' }]);
    stream.start();
    stream.start();
    advanceTo(50);
    expect(source.opened).toBe(1);
    stream.stop();
    stream.stop();
    expect(() => stream.start()).toThrow(/was stopped and cannot start again; create a new RtspStream/);
  });

  it('stop() releases the camera while others still subscribe: their streams complete, and later ones complete at once', () => {
    const { stream, source, advanceTo } = streamOf([{ outcome: 'stream' }]);
    stream.start();
    const ends: string[] = [];
    stream.frames$.subscribe({ complete: () => ends.push('frames$') });
    stream.connection$.subscribe({ complete: () => ends.push('connection$') });
    stream.latest$.subscribe({ complete: () => ends.push('latest$') });
    advanceTo(100);
    stream.stop();
    expect(ends).toEqual(['frames$', 'connection$', 'latest$']);
    expect(source.active).toBe(0);
    stream.frames$.subscribe({ complete: () => ends.push('late frames$') });
    advanceTo(200);
    expect(ends.at(-1)).toBe('late frames$');
    expect([source.opened, source.active]).toEqual([1, 0]);
  });

  it('tells the same story through its callbacks as through connection$, in the same order', () => {
    const story: string[] = [];
    const { stream, advanceTo } = streamOf(
      [{ outcome: 'stream', frames: 3, then: 'drop' }, { outcome: 'refuse' }, { outcome: 'refuse' }],
      {
        maxReconnectAttempts: 2,
        onConnect: (info) => story.push(`callback connect ${info.width}x${info.height}`),
        onDisconnect: (cause) => story.push(`callback disconnect ${cause.code}`),
        onReconnectFailure: (error) => story.push(error instanceof ReconnectExhaustedError ? `callback failure ${error.attempts} ${error.cause.code}` : 'unexpected'),
      },
    );
    stream.connection$.subscribe((state: ConnectionState) => story.push(`state ${state.status}`));
    stream.start();
    advanceTo(10_000);
    expect(story).toEqual([
      'state connecting',
      'state connected',
      'callback connect 32x24',
      'state reconnecting',
      'callback disconnect ECONNRESET',
      'state connecting',
      'state reconnecting',
      'state connecting',
      'state failed',
      'callback failure 2 ECONNREFUSED',
    ]);
    expect(stream.reconnectCount).toBe(2);
  });

  it('logs a callback that throws, and goes on streaming', () => {
    const { stream, lines, advanceTo } = streamOf([{ outcome: 'stream' }], {
      onConnect: () => {
        throw new Error('bug in user code');
      },
    });
    stream.start();
    advanceTo(200);
    expect(lines.some((line) => line.startsWith('error onConnect threw, and the stream goes on: Error: bug in user code'))).toBe(true);
    expect(stream.read()?.sequence).toBeGreaterThan(3);
  });

  it('logs open, connect, drop with its cause, each reconnect with its delay, and the give-up, and says bufferSize does nothing', () => {
    const { stream, lines, advanceTo } = streamOf([{ outcome: 'stream', frames: 2, then: 'stall' }, { outcome: 'refuse' }], {
      stallTimeout: 500,
      maxReconnectAttempts: 1,
      bufferSize: 1,
    });
    stream.start();
    advanceTo(5000);
    const levels = lines.map((line) => line.replace(/rtsp:\S+/, 'URL'));
    expect(levels).toEqual([
      expect.stringMatching(/^info bufferSize 1 has no effect/),
      'info opening URL',
      'debug connecting: URL',
      'info connected 32x24 @ 25 fps fake: URL',
      'warn reconnecting: #1 in 1000 ms after STALLED: no frame for 500 ms',
      'debug connecting (reconnect #1): URL',
      'error failed after 1 reconnect attempt(s): ECONNREFUSED: giving up on URL fake camera refused the connection',
    ]);
  });

  it('releases everything with `await using`', async () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({}, scheduler);
    {
      await using stream = new RtspStream(URL, { source }, scheduler).start();
      advanceTo(100);
      expect(stream.isConnected).toBe(true);
      expect(source.active).toBe(1);
    }
    expect(source.active).toBe(0);
  });

  it('shows no password in JSON.stringify, util.inspect or any log line', () => {
    const { stream, lines, advanceTo } = streamOf([{ outcome: 'stream' }], { credentials: { username: 'admin', password: 'other-Secret' } });
    stream.start();
    advanceTo(100);
    const shown = [JSON.stringify(stream), inspect(stream), inspect(stream, { showHidden: true, depth: 5 }), ...lines].join('\n');
    expect(shown).not.toContain('s3cret-Pass');
    expect(shown).not.toContain('other-Secret');
    expect(shown).toContain('rtsp://admin:***@127.0.0.1:8554/cam');
    stream.stop();
  });
});
