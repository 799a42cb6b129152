import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { latestFrameReader, rtspConnection, type RtspEvent } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';
import { virtualTime } from './virtual-time.js';

const URL = 'rtsp://127.0.0.1:8554/cam';

describe('latestFrameReader', () => {
  it('reads the newest frame while connected, and nothing before the first frame or during an outage', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'stream', frames: 5, then: 'drop' }, { outcome: 'stream' }] }, scheduler);
    const reader = latestFrameReader(rtspConnection(URL, { source, reconnectDelay: 1000 }, scheduler).events$);

    expect(reader.read()).toBeUndefined();
    expect(reader.state).toEqual({ status: 'connecting', attempt: 0 });
    expect(reader.isConnected).toBe(false);

    advanceTo(100); // frames at 40 and 80 ms
    expect(reader.read()?.sequence).toBe(2);
    expect(reader.isConnected).toBe(true);

    advanceTo(250); // the fifth frame at 200 ms, then the drop
    expect(reader.read()).toBeUndefined();
    expect(reader.isConnected).toBe(false);
    expect(reader.state).toMatchObject({ status: 'reconnecting', attempt: 1, cause: { code: 'ECONNRESET' } });

    advanceTo(1300); // back at 1200 ms, frames at 1240 and 1280
    expect(reader.read()?.sequence).toBe(7);
    expect(reader.isConnected).toBe(true);
  });

  it('releases the camera on close() and on dispose, idempotently', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({}, scheduler);
    const reader = latestFrameReader(rtspConnection(URL, { source }, scheduler).events$);
    advanceTo(100);
    expect(source.active).toBe(1);
    reader.close();
    expect(source.active).toBe(0);
    expect(reader.read()).toBeUndefined();
    expect(reader.state).toEqual({ status: 'closed' });
    reader[Symbol.dispose]();
    reader.close();
    expect(source.opened).toBe(1);
  });

  it('shares the camera with other subscribers of the same connection', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({}, scheduler);
    const camera = rtspConnection(URL, { source }, scheduler);
    const seen: number[] = [];
    const subscription = camera.frames$.subscribe((frame) => seen.push(frame.sequence));
    advanceTo(100);
    const reader = latestFrameReader(camera.events$);
    expect(reader.isConnected).toBe(true);
    advanceTo(130);
    expect(reader.read()?.sequence).toBe(3);
    reader.close();
    subscription.unsubscribe();
    expect(source.opened).toBe(1);
    expect(source.active).toBe(0);
  });

  it('keeps showing `failed` once the connection gave up', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'refuse', code: 'NOT_FOUND' }] }, scheduler);
    const reader = latestFrameReader(rtspConnection(URL, { source, maxReconnectAttempts: 0 }, scheduler).events$);
    advanceTo(10);
    reader.close();
    expect(reader.state).toMatchObject({ status: 'failed', attempts: 0, cause: { code: 'NOT_FOUND' } });
  });

  it('does not let a hand-made event stream that errors crash the process', () => {
    const events$ = new Subject<RtspEvent>();
    const reader = latestFrameReader(events$);
    expect(() => events$.error(new Error('boom'))).not.toThrow();
    expect(reader.read()).toBeUndefined();
  });
});
