import type { Observable } from 'rxjs';
import { match } from 'ts-pattern';
import { describe, expectTypeOf, it } from 'vitest';
import {
  connectionStateMessage,
  latestFrame,
  rtspConnection,
  rtspEvents$,
  rtspFrames$,
  type ConnectionState,
  type ConnectionStateMessage,
  type Frame,
  type RtspErrorCode,
  type RtspEvent,
  type RtspError,
} from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';

const source = fakeCaptureSource();
const url = 'rtsp://127.0.0.1/cam';

describe('public types', () => {
  it('gives each stream its element type', () => {
    expectTypeOf(rtspFrames$(url, { source })).toEqualTypeOf<Observable<Frame>>();
    expectTypeOf(rtspEvents$(url, { source })).toEqualTypeOf<Observable<RtspEvent>>();
    expectTypeOf(rtspConnection(url, { source }).connection$).toEqualTypeOf<Observable<ConnectionState>>();
    expectTypeOf(rtspEvents$(url, { source }).pipe(latestFrame())).toEqualTypeOf<Observable<Frame | undefined>>();
  });

  it('describes a frame as plain data', () => {
    expectTypeOf<Frame['data']>().toEqualTypeOf<Buffer>();
    expectTypeOf<Frame['sequence']>().toEqualTypeOf<number>();
    expectTypeOf<Frame['pixelFormat']>().toEqualTypeOf<'bgr' | 'rgb' | 'gray' | 'yuv420p' | 'jpeg'>();
  });

  it('narrows connection states by status, exhaustively', () => {
    const describe = (state: ConnectionState) =>
      match(state)
        .with({ status: 'connecting' }, ({ attempt }) => attempt)
        .with({ status: 'connected' }, ({ info }) => info.width)
        .with({ status: 'reconnecting' }, ({ delay, cause }) => (cause.code === 'STALLED' ? delay : 0))
        .with({ status: 'failed' }, ({ attempts }) => attempts)
        .with({ status: 'closed' }, () => -1)
        .exhaustive();
    expectTypeOf(describe).returns.toEqualTypeOf<number>();
    expectTypeOf<Extract<ConnectionState, { status: 'reconnecting' }>['cause']>().toEqualTypeOf<RtspError>();
  });

  it('sends every state over the wire, with the cause reduced to plain data', () => {
    expectTypeOf<ConnectionStateMessage['status']>().toEqualTypeOf<ConnectionState['status']>();
    expectTypeOf<Extract<ConnectionStateMessage, { status: 'failed' }>['cause']>().toEqualTypeOf<{ readonly code: RtspErrorCode; readonly message: string }>();
    expectTypeOf(connectionStateMessage).returns.toEqualTypeOf<ConnectionStateMessage>();
  });

  it('limits error codes to the documented ones', () => {
    expectTypeOf<'STALLED'>().toExtend<RtspErrorCode>();
    expectTypeOf<'ETIMEDOUT'>().not.toExtend<RtspErrorCode>();
  });

  it('rejects wrong option types at compile time', () => {
    // @ts-expect-error a delay is a number of milliseconds
    rtspFrames$(url, { source, reconnectDelay: '1s' });
    // @ts-expect-error the source is required
    rtspFrames$(url, {});
    // @ts-expect-error releaseGrace belongs to shared connections only
    rtspFrames$(url, { source, releaseGrace: 100 });
    rtspConnection(url, { source, releaseGrace: 100 });
  });
});
