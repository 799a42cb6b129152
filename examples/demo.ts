/**
 * The rtsp-rx demo: a scripted camera outage in ten seconds. A fake camera streams, drops,
 * refuses twice, comes back, stalls, and comes back again; rtsp-rx reconnects with back-off
 * and prints every state change and a line of frames per second.
 *
 * Run it with `npm run demo`.
 */
import { bufferTime, filter, finalize, map, merge, takeUntil, timer } from 'rxjs';
import { describeState, rtspConnection } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';

const source = fakeCaptureSource({
  width: 320,
  height: 240,
  fps: 10,
  attempts: [
    { outcome: 'stream', frames: 20, then: 'drop' },
    { outcome: 'refuse' },
    { outcome: 'refuse' },
    { outcome: 'stream', openAfter: 300, frames: 15, then: 'stall' },
    { outcome: 'stream' },
  ],
});

const camera = rtspConnection('rtsp://demo:s3cret@127.0.0.1:8554/cam', {
  source,
  reconnectDelay: 500,
  reconnectBackoff: 2,
  maxReconnectDelay: 4000,
  stallTimeout: 1000,
  openTimeout: 2000,
});

const started = Date.now();
const at = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;

const states$ = camera.connection$.pipe(map((state) => `${at()}  state   ${describeState(state)}`));
const frames$ = camera.frames$.pipe(
  bufferTime(1000),
  filter((frames) => frames.length > 0),
  map((frames) => {
    const last = frames.at(-1)!;
    return `${at()}  frames  ${String(frames.length).padStart(2)} in the last second, #${frames[0]!.sequence}-#${last.sequence}, ${last.width}x${last.height} ${last.pixelFormat}`;
  }),
);

console.log('rtsp-rx demo: a fake camera that drops, refuses, stalls and recovers (Ctrl-C to stop)\n');
const subscription = merge(states$, frames$)
  .pipe(
    takeUntil(timer(11_000)),
    // Runs after the camera was released, so the count below is the truth.
    finalize(() => console.log(`\n${at()}  stopped: ${source.opened} attempts made, ${source.active} capture(s) still open`)),
  )
  .subscribe((line) => console.log(line));

process.once('SIGINT', () => subscription.unsubscribe());
