import { asyncScheduler, type Observable, type SchedulerLike } from 'rxjs';
import type { Frame } from './capture-source.js';
import { cameraAddress } from './camera-address.js';
import { selectFrames } from './operators/select-frames.js';
import { resolveOptions, type RtspOptions } from './options.js';
import { connectionEvents$ } from './rtsp-events.js';

/**
 * A cold Observable of a camera's frames. Each subscriber opens its own connection;
 * unsubscribing releases it. Drops, refusals and stalls lead to reconnects with exponential
 * back-off; when `maxReconnectAttempts` reconnects in a row have failed it errors with a
 * `ReconnectExhaustedError`. A source that ends completes it.
 *
 * Options are checked at once: a bad one throws a `TypeError` or `RangeError` here.
 *
 * @throws TypeError or RangeError naming the option, for a bad URL or option.
 *
 * @example
 * ```ts
 * rtspFrames$('rtsp://127.0.0.1:8554/cam', { source, reconnectDelay: 500, stallTimeout: 3_000 })
 *   .pipe(sampleTime(1_000), map((frame) => `#${frame.sequence} ${frame.width}x${frame.height}`))
 *   .subscribe(console.log); // #25 1920x1080, #50 1920x1080, ...
 * ```
 */
export function rtspFrames$(url: string, options: RtspOptions, scheduler: SchedulerLike = asyncScheduler): Observable<Frame> {
  return connectionEvents$(resolveOptions('rtspFrames$', cameraAddress('rtspFrames$', url), options, scheduler), scheduler).pipe(selectFrames());
}
