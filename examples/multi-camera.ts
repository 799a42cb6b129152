/**
 * Several cameras, one combined view of their states. A camera that fails goes on retrying
 * on its own and disturbs no other.
 *
 *   RTSP_URLS=rtsp://127.0.0.1:8554/a,rtsp://127.0.0.1:8555/b npx tsx examples/multi-camera.ts
 */
import { combineLatest, map, sampleTime } from 'rxjs';
import { redactUrl, rtspConnection } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';

const urls = (process.env['RTSP_URLS'] ?? 'rtsp://127.0.0.1:8554/cam').split(',');
const source = opencvCaptureSource({ maxFps: 1 });
const cameras = urls.map((url) => ({ name: redactUrl(url), connection: rtspConnection(url, { source, maxReconnectDelay: 5000 }) }));

const overview = combineLatest(cameras.map(({ connection }) => connection.connection$))
  .pipe(map((states) => states.map((state, index) => `${cameras[index]!.name}: ${state.status}`).join(' | ')))
  .subscribe((line) => console.log(`states ${line}`));
const frames = cameras.map(({ name, connection }) =>
  connection.frames$.pipe(sampleTime(1000)).subscribe((frame) => console.log(`frame  ${name} #${frame.sequence}`)),
);

const stop = () => [overview, ...frames].forEach((subscription) => subscription.unsubscribe());
process.once('SIGINT', stop);
if (process.env['DURATION']) setTimeout(stop, Number(process.env['DURATION']) * 1000);
