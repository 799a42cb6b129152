import { Observable, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RtspError, rtspEvents$, rtspFrames$, type CaptureEvent, type CaptureRequest, type ConnectionState, type RtspEvent } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';
import { virtualTime } from './virtual-time.js';

const URL_WITH_PASSWORD = 'rtsp://admin:hunter2-Secret@127.0.0.1:8554/cam';
const statesOf = (events: RtspEvent[]) => events.flatMap((event) => (event.type === 'state' ? [event.state] : []));

afterEach(() => vi.restoreAllMocks());

describe('rtspEvents$', () => {
  it('numbers frames from 1 and keeps counting across reconnects', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'stream', frames: 3, then: 'drop' }, { outcome: 'stream', frames: 2, then: 'end' }] }, scheduler);
    const sequences: number[] = [];
    rtspFrames$(URL_WITH_PASSWORD, { source, reconnectDelay: 100 }, scheduler).subscribe((frame) => sequences.push(frame.sequence));
    advanceTo(10_000);
    expect(sequences).toEqual([1, 2, 3, 4, 5]);
  });

  it('asks the source for each attempt with the one camera address and the attempt number', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'refuse' }, { outcome: 'refuse' }, { outcome: 'stream' }] }, scheduler);
    const subscription = rtspEvents$(URL_WITH_PASSWORD, { source, reconnectDelay: 100 }, scheduler).subscribe();
    advanceTo(1000);
    subscription.unsubscribe();
    expect(source.requests.map(({ attempt }) => attempt)).toEqual([0, 1, 2]);
    const [address] = new Set(source.requests.map((request) => request.address));
    expect(new Set(source.requests.map((request) => request.address)).size, 'parsed once, passed down').toBe(1);
    expect(address).toMatchObject({ url: URL_WITH_PASSWORD, redacted: 'rtsp://admin:***@127.0.0.1:8554/cam' });
    for (const request of source.requests) expect(request.demand$).toBeInstanceOf(Observable);
    expect(source.active).toBe(0);
  });

  it('runs every timer on the scheduler it is given', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'stream', frames: 2, then: 'stall' }, { outcome: 'stream' }] }, scheduler);
    const states: ConnectionState[] = [];
    rtspEvents$(URL_WITH_PASSWORD, { source, stallTimeout: 300, reconnectDelay: 700 }, scheduler).subscribe((event) => event.type === 'state' && states.push(event.state));
    // Frames at 40 and 80 ms, stalled at 80 + 300, back after 700 more.
    advanceTo(1100);
    expect(states.map((state) => state.status)).toEqual(['connecting', 'connected', 'reconnecting', 'connecting', 'connected']);
    expect(states[2]).toMatchObject({ cause: { code: 'STALLED' }, delay: 700 });
    expect(states[4]).toMatchObject({ since: 1080 });
  });

  it('never errors: a source that throws in open() is a failed attempt, and giving up completes', () => {
    const { scheduler, advanceTo } = virtualTime();
    const broken = {
      open: (): Observable<CaptureEvent> => {
        throw new TypeError('bug in a capture source');
      },
    };
    let events: RtspEvent[] = [];
    let error: unknown;
    rtspEvents$(URL_WITH_PASSWORD, { source: broken, maxReconnectAttempts: 1, reconnectDelay: 10 }, scheduler)
      .pipe(toArray())
      .subscribe({ next: (all) => (events = all), error: (e: unknown) => (error = e) });
    advanceTo(100);
    expect(error).toBeUndefined();
    expect(statesOf(events).map((state) => [state.status, 'cause' in state ? state.cause.code : undefined])).toEqual([
      ['connecting', undefined],
      ['reconnecting', 'CAPTURE_ERROR'],
      ['connecting', undefined],
      ['failed', 'CAPTURE_ERROR'],
    ]);
  });

  it('keeps the password out of every state, even when the source puts the URL in its error', () => {
    const { scheduler, advanceTo } = virtualTime();
    const leaky = { open: (request: CaptureRequest) => new Observable<CaptureEvent>((subscriber) => subscriber.error(new RtspError('UNAUTHORIZED', `401 from ${request.address.url}`))) };
    const events: RtspEvent[] = [];
    rtspEvents$(URL_WITH_PASSWORD, { source: leaky, maxReconnectAttempts: 2, reconnectDelay: 10 }, scheduler).subscribe((event) => events.push(event));
    advanceTo(1000);
    const failed = statesOf(events).at(-1);
    expect(failed).toMatchObject({ status: 'failed', cause: { code: 'UNAUTHORIZED', message: '401 from rtsp://admin:***@127.0.0.1:8554/cam' } });
    for (const state of statesOf(events)) {
      expect(JSON.stringify(state)).not.toContain('hunter2');
      if ('cause' in state) {
        expect(state.cause.message).not.toContain('hunter2');
        expect(state.cause.stack).not.toContain('hunter2');
      }
    }
  });

  it('lengthens each wait by up to reconnectJitter of itself', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'refuse' }] }, scheduler);
    const states: ConnectionState[] = [];
    const subscription = rtspEvents$(URL_WITH_PASSWORD, { source, reconnectDelay: 1000, reconnectJitter: 0.2 }, scheduler).subscribe(
      (event) => event.type === 'state' && states.push(event.state),
    );
    advanceTo(4000);
    subscription.unsubscribe();
    // Refused at 0, 1100 and 3300 ms.
    expect(states.flatMap((state) => (state.status === 'reconnecting' ? [state.delay] : []))).toEqual([1100, 2200, 4400]);
    expect(source.requests.length).toBe(3);
  });

  it('emits a new connected state when the stream changes resolution, keeping `since`', () => {
    const { scheduler, advanceTo } = virtualTime();
    const info = (width: number) => ({ width, height: 10, fps: 25 });
    const frame = { data: Buffer.alloc(1), width: 1, height: 1, channels: 1, pixelFormat: 'gray' as const, capturedAt: 0 };
    const resizing = {
      open: () =>
        new Observable<CaptureEvent>((subscriber) => {
          subscriber.next({ type: 'opened', info: info(10) });
          subscriber.next({ type: 'frame', frame });
          subscriber.next({ type: 'opened', info: info(20) });
          subscriber.next({ type: 'frame', frame });
        }),
    };
    const states: ConnectionState[] = [];
    const subscription = rtspEvents$(URL_WITH_PASSWORD, { source: resizing }, scheduler).subscribe((event) => event.type === 'state' && states.push(event.state));
    advanceTo(10);
    subscription.unsubscribe();
    expect(states).toEqual([
      { status: 'connecting', attempt: 0 },
      { status: 'connected', since: 0, info: info(10) },
      { status: 'connected', since: 0, info: info(20) },
    ]);
  });
});
