import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { rtspConnection, rtspFrames$, type RtspConnectionOptions } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';

const URL_WITH_PASSWORD = 'rtsp://admin:hunter2-Secret@127.0.0.1:8554/cam';
const source = fakeCaptureSource();

describe('the core options', () => {
  it('rejects a scheduler that is not one', () => {
    expect(() => rtspFrames$(URL_WITH_PASSWORD, { source }, {} as SchedulerLike)).toThrow('rtsp-rx: rtspFrames$: scheduler must be an RxJS scheduler; got an empty object');
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
