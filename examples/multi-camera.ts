/**
 * Several cameras in one registry: a combined view of their states, and a frame of each a
 * second with the camera's reconnects. A camera that fails goes on retrying on its own and
 * disturbs no other.
 *
 *   RTSP_URLS=rtsp://127.0.0.1:8554/a,rtsp://127.0.0.1:8555/b npx tsx examples/multi-camera.ts
 */
import { combineLatest, map, sampleTime } from 'rxjs';
import { redactUrl, rtspCameras } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';

const urls = (process.env['RTSP_URLS'] ?? 'rtsp://127.0.0.1:8554/cam').split(',');
const cameras = rtspCameras({
  source: opencvCaptureSource({ maxFps: 1 }),
  cameras: Object.fromEntries(urls.map((url, index) => [`cam${index + 1}`, { url, maxReconnectDelay: 5000 }])),
});
cameras.names.forEach((name, index) => console.log(`${name} is ${redactUrl(urls[index]!)}`));

const overview = combineLatest(cameras.names.map((name) => cameras.get(name).connection$))
  .pipe(map((states) => states.map((state, index) => `${cameras.names[index]}: ${state.status}`).join(' | ')))
  .subscribe((line) => console.log(`states ${line}`));
const frames = cameras.names.map((name) =>
  cameras
    .get(name)
    .frames$.pipe(sampleTime(1000))
    .subscribe((frame) => console.log(`frame  ${name} #${frame.sequence}, ${cameras.get(name).metrics.reconnects} reconnects`)),
);

const stop = () => {
  [overview, ...frames].forEach((subscription) => subscription.unsubscribe());
  cameras.close();
};
process.once('SIGINT', stop);
if (process.env['DURATION']) setTimeout(stop, Number(process.env['DURATION']) * 1000);
