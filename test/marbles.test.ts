import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catchError, map, throwError, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { testScheduler } from './virtual-time.js';
import { ReconnectExhaustedError, RtspError, rtspConnection, rtspFrames$, type CaptureEvent, type CaptureSource, type ConnectionState, type Frame } from '../src/index.js';
import { INFO, type AttemptTimeline, type ExpectedError, type ExpectedState, type MarbleScenario, type WatchedStream } from './marble-scenario.js';

const URL_UNDER_TEST = 'rtsp://127.0.0.1:8554/cam';
/** A scenario that never lets go of its camera must still end: 2 minutes of virtual time. */
const VIRTUAL_TIME_LIMIT = 120_000;

const directory = fileURLToPath(new URL('../marbles/', import.meta.url));
const files = readdirSync(directory).filter((file) => file.endsWith('.marble.ts')).sort();
const scenarios = await Promise.all(
  files.map(async (file) => [file, ((await import(pathToFileURL(join(directory, file)).href)) as { default: MarbleScenario }).default] as const),
);

describe('marbles/', () => {
  it('holds the scenarios the documentation promises', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const [file, definition] of scenarios) {
    it(`${file}: ${definition.title}`, () => play(definition));
  }
});

function play(definition: MarbleScenario): void {
  const scheduler = testScheduler();
  let opened = 0;
  scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
    scheduler.maxFrames = VIRTUAL_TIME_LIMIT;
    const attempts = definition.attempts.map((attempt) => scriptedAttempt(attempt, cold));
    const source: CaptureSource = {
      open: () => attempts[opened++] ?? throwError(() => new Error(`attempt ${opened - 1} is not scripted`)),
    };
    const demand$ = definition.demand === undefined ? undefined : hot(definition.demand, { t: true, f: false });
    const options = { ...definition.options, source, ...(demand$ === undefined ? {} : { demand$ }) };
    const connection = rtspConnection(URL_UNDER_TEST, options);
    const streams: Record<WatchedStream, () => Observable<unknown>> = {
      frames$: () => connection.frames$.pipe(map(letterOf)),
      latest$: () => connection.latest$.pipe(map(letterOf)),
      connection$: () => connection.connection$.pipe(map(expectedState)),
      rtspFrames$: () => rtspFrames$(URL_UNDER_TEST, options).pipe(map(letterOf)),
    };

    for (const subscriber of definition.subscribers) {
      const watched = streams[subscriber.stream]().pipe(catchError((error: unknown) => throwError(() => expectedError(error))));
      expectObservable(watched, subscriber.subscription).toBe(subscriber.expected, subscriber.stream === 'connection$' ? definition.states : undefined, subscriber.error);
    }
    definition.sourceSubscriptions.forEach((marble, index) => {
      const attempt = attempts[index];
      if (attempt === undefined) throw new Error(`sourceSubscriptions names attempt ${index}, which is not scripted`);
      expectSubscriptions(attempt.subscriptions).toBe(marble);
    });
  });
  expect(opened, 'attempts opened').toBeLessThanOrEqual(definition.attempts.length);
  expect(definition.sourceSubscriptions, 'every attempt has its subscriptions checked').toHaveLength(definition.attempts.length);
}

type Cold = Parameters<Parameters<TestScheduler['run']>[0]>[0]['cold'];

function scriptedAttempt(attempt: AttemptTimeline, cold: Cold) {
  const { timeline, error } = typeof attempt === 'string' ? { timeline: attempt, error: 'ECONNREFUSED' as const } : attempt;
  const values: Record<string, CaptureEvent> = {};
  for (const letter of timeline.replace(/\d+(ms|s|m)|[\s\-|#()^!]/g, '')) {
    values[letter] =
      letter === 'o'
        ? { type: 'opened', info: INFO }
        : letter === 'h' || letter === 'r'
          ? { type: 'heartbeat', reason: letter === 'h' ? 'unwanted' : 'rate-capped' }
          : { type: 'frame', frame: { data: Buffer.from(letter), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt: 0 } };
  }
  return cold<CaptureEvent>(timeline, values, new RtspError(error, `scripted ${error}`));
}

const letterOf = (frame: Frame): string => frame.data.toString('latin1');

function expectedState(state: ConnectionState): ExpectedState {
  return 'cause' in state ? { ...state, cause: state.cause.code } : state;
}

function expectedError(error: unknown): ExpectedError {
  if (error instanceof ReconnectExhaustedError) return { code: error.code, attempts: error.attempts, cause: error.cause.code };
  if (error instanceof RtspError) return { code: error.code };
  throw error;
}
