import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { rtspConnection, rtspEvents$, rtspFrames$, type RtspConnectionOptions } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';

const PASSWORD = 'hunter2-Secret';
const URL_WITH_PASSWORD = `rtsp://admin:${PASSWORD}@127.0.0.1:8554/cam`;
const source = fakeCaptureSource();

type Row = [what: string, url: unknown, options: unknown, error: typeof TypeError | typeof RangeError, message: RegExp];

const rows: Row[] = [
  ['a URL that is not a string', 42, { source }, TypeError, /url must be a string; got 42/],
  ['a missing URL', undefined, { source }, TypeError, /url must be a string; got undefined/],
  ['an empty URL', '', { source }, TypeError, /url must be an rtsp:\/\/ or rtsps:\/\/ URL; got ""/],
  ['text that is not a URL', 'camera-1', { source }, TypeError, /url must be an rtsp:\/\/ .* got "camera-1"/],
  ['an HTTP URL, password hidden', `http://admin:${PASSWORD}@127.0.0.1/cam`, { source }, TypeError, /got "http:\/\/admin:\*\*\*@127\.0\.0\.1\/cam"/],
  ['missing options', URL_WITH_PASSWORD, undefined, TypeError, /options must be an object with at least a source; got undefined/],
  ['a missing source', URL_WITH_PASSWORD, {}, TypeError, /option source must be a capture source .*got undefined/],
  ['a source without open()', URL_WITH_PASSWORD, { source: { read: () => 1 } }, TypeError, /option source must be a capture source .*got an object \(read\)/],
  ['a misspelt option', URL_WITH_PASSWORD, { source, reconectDelay: 10 }, TypeError, /unknown option reconectDelay; the options are source, /],
  ['a delay given as a string', URL_WITH_PASSWORD, { source, reconnectDelay: '1000' }, TypeError, /option reconnectDelay must be a number; got "1000"/],
  ['a negative delay', URL_WITH_PASSWORD, { source, reconnectDelay: -1 }, RangeError, /option reconnectDelay must be a finite number of milliseconds .*got -1/],
  ['an infinite delay', URL_WITH_PASSWORD, { source, reconnectDelay: Infinity }, RangeError, /option reconnectDelay .*got Infinity/],
  ['a NaN delay', URL_WITH_PASSWORD, { source, reconnectDelay: Number.NaN }, RangeError, /option reconnectDelay .*got NaN/],
  ['a delay longer than a timer can wait', URL_WITH_PASSWORD, { source, maxReconnectDelay: 2 ** 31 }, RangeError, /option maxReconnectDelay .*got 2147483648/],
  ['a multiplier below 1', URL_WITH_PASSWORD, { source, reconnectBackoff: 0.5 }, RangeError, /option reconnectBackoff must be a finite number of at least 1; got 0\.5/],
  ['an infinite multiplier', URL_WITH_PASSWORD, { source, reconnectBackoff: Infinity }, RangeError, /option reconnectBackoff .*got Infinity/],
  ['a maximum delay below the first', URL_WITH_PASSWORD, { source, reconnectDelay: 1000, maxReconnectDelay: 500 }, RangeError, /option maxReconnectDelay \(500\) must not be below reconnectDelay \(1000\)/],
  ['a fractional attempt count', URL_WITH_PASSWORD, { source, maxReconnectAttempts: 1.5 }, RangeError, /option maxReconnectAttempts must be a whole number of at least 0, or Infinity; got 1\.5/],
  ['a negative attempt count', URL_WITH_PASSWORD, { source, maxReconnectAttempts: -1 }, RangeError, /option maxReconnectAttempts .*got -1/],
  ['an attempt count as a string', URL_WITH_PASSWORD, { source, maxReconnectAttempts: '3' }, TypeError, /option maxReconnectAttempts must be a number; got "3"/],
  ['jitter above 1', URL_WITH_PASSWORD, { source, reconnectJitter: 1.5 }, RangeError, /option reconnectJitter must be a number from 0 to 1; got 1\.5/],
  ['negative jitter', URL_WITH_PASSWORD, { source, reconnectJitter: -0.1 }, RangeError, /option reconnectJitter .*got -0\.1/],
  ['a zero open timeout', URL_WITH_PASSWORD, { source, openTimeout: 0 }, RangeError, /option openTimeout must be a number of milliseconds above 0 .*or Infinity; got 0/],
  ['a NaN stall timeout', URL_WITH_PASSWORD, { source, stallTimeout: Number.NaN }, RangeError, /option stallTimeout .*got NaN/],
  ['a negative grace period', URL_WITH_PASSWORD, { source, releaseGrace: -5 }, RangeError, /option releaseGrace .*got -5/],
];

describe('options are checked when rtspFrames$, rtspEvents$ and rtspConnection are called', () => {
  for (const factory of [rtspFrames$, rtspEvents$, rtspConnection]) {
    describe(factory.name, () => {
      it.each(rows)('%s', (_, url, options, error, message) => {
        const call = () => factory(url as string, options as RtspConnectionOptions);
        expect(call).toThrow(error);
        expect(call).toThrow(message);
        try {
          call();
        } catch (thrown) {
          expect(String((thrown as Error).message)).not.toContain(PASSWORD);
          expect(String((thrown as Error).stack)).not.toContain(PASSWORD);
        }
      });
    });
  }

  it('rejects a scheduler that is not one', () => {
    expect(() => rtspFrames$(URL_WITH_PASSWORD, { source }, {} as SchedulerLike)).toThrow(/scheduler must be an RxJS scheduler; got an object \(empty\)/);
  });

  it('accepts the limits of every range, rtsps:// and options left undefined', () => {
    const edges: RtspConnectionOptions = {
      source,
      reconnectDelay: 0,
      reconnectBackoff: 1,
      maxReconnectDelay: 0,
      maxReconnectAttempts: 0,
      reconnectJitter: 1,
      openTimeout: Infinity,
      stallTimeout: Infinity,
      releaseGrace: 0,
    };
    expect(() => rtspConnection('rtsps://127.0.0.1/cam', edges, asyncScheduler)).not.toThrow();
    expect(() => rtspFrames$('rtsp://[::1]:8554/cam', { source, maxReconnectAttempts: Infinity, stallTimeout: undefined })).not.toThrow();
  });
});
