/**
 * The `VideoStream` shape: start, `read()` the newest frame in a loop, stop.
 *
 *   RTSP_URL=rtsp://127.0.0.1:8554/cam npx tsx examples/imperative.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RtspStream } from '../src/opencv/index.js';

const until = Date.now() + Number(process.env['DURATION'] ?? Infinity) * 1000;
let interrupted = false;
process.once('SIGINT', () => (interrupted = true));

{
  await using stream = new RtspStream(process.env['RTSP_URL'] ?? 'rtsp://127.0.0.1:8554/cam', {
    onConnect: (info) => console.log(`connected ${info.width}x${info.height}`),
    onDisconnect: (cause) => console.log(`disconnected: ${cause.code}`),
  }).start();

  while (!interrupted && Date.now() < until) {
    const frame = stream.read();
    console.log(frame === undefined ? 'no frame yet' : `read #${frame.sequence}, connected ${stream.isConnected}, ${stream.fps} fps, ${stream.reconnectCount} reconnects`);
    await sleep(1000);
  }
}
console.log('stopped');
