/**
 * Motion detection at two frames a second: `frames$.pipe(sampleTime(500), map(detect))`.
 * Small gray frames are made in the capture process, so the detector gets only what it needs.
 *
 *   RTSP_URL=rtsp://127.0.0.1:8554/cam npx tsx examples/detect.ts
 */
import { filter, map, pairwise, sampleTime } from 'rxjs';
import { rtspFrames$, type Frame } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';

/** The share of pixels whose brightness changed by more than `threshold` between two frames. */
function motion(previous: Frame, current: Frame, threshold = 25): number {
  let changed = 0;
  for (let index = 0; index < current.data.length; index++) {
    if (Math.abs(current.data[index]! - previous.data[index]!) > threshold) changed++;
  }
  return changed / current.data.length;
}

const source = opencvCaptureSource({ pixelFormat: 'gray', size: { width: 160, height: 120 }, maxFps: 5 });
const subscription = rtspFrames$(process.env['RTSP_URL'] ?? 'rtsp://127.0.0.1:8554/cam', { source })
  .pipe(
    sampleTime(500),
    pairwise(),
    map(([previous, current]) => ({ frame: current, moved: motion(previous, current) })),
    filter(({ moved }) => moved > 0.001),
  )
  .subscribe(({ frame, moved }) => console.log(`motion ${(moved * 100).toFixed(1)} % of the picture, frame #${frame.sequence} captured ${new Date(frame.capturedAt).toISOString()}`));

process.once('SIGINT', () => subscription.unsubscribe());
if (process.env['DURATION']) setTimeout(() => subscription.unsubscribe(), Number(process.env['DURATION']) * 1000);
