/**
 * Subscribe to a camera, print its connection state and a frame a second.
 *
 *   RTSP_URL=rtsp://127.0.0.1:8554/cam npx tsx examples/basic.ts
 */
import { sampleTime } from 'rxjs';
import { describeState, rtspConnection } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';

const camera = rtspConnection(process.env['RTSP_URL'] ?? 'rtsp://127.0.0.1:8554/cam', { source: opencvCaptureSource() });

const states = camera.connection$.subscribe((state) => console.log(`state  ${describeState(state)}`));
const frames = camera.frames$
  .pipe(sampleTime(1000))
  .subscribe((frame) => console.log(`frame  #${frame.sequence} ${frame.width}x${frame.height} ${frame.pixelFormat}, ${Date.now() - frame.capturedAt} ms old`));

const stop = () => (frames.unsubscribe(), states.unsubscribe());
process.once('SIGINT', stop);
if (process.env['DURATION']) setTimeout(stop, Number(process.env['DURATION']) * 1000);
