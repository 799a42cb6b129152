/**
 * A fleet worker as the fleet test and the fleet benchmark run it, a process of its own: cameras
 * whose URL path starts with /fake- get a fake source (small frames, FAKE_FPS a second, 10 by
 * default), the others the ffmpeg source in small gray pictures. Every camera's frames are
 * taken, so the states count them.
 *
 *   NATS_URL=nats://127.0.0.1:4222 WORKER_ID=w1 CAPACITY=20 [LEASE_TIME=3000 RENEW_EVERY=1000 FAKE_FPS=10] npx tsx test/nats/fleet-worker-process.ts
 */
import { connect } from '@nats-io/transport-node';
import { ffmpegCaptureSource } from '../../src/ffmpeg/index.js';
import { openFleet, startFleetWorker } from '../../src/nats/index.js';
import { fakeCaptureSource } from '../../src/testing/index.js';

const nc = await connect({ servers: process.env['NATS_URL']!, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
const fleet = await openFleet(nc);
const real = ffmpegCaptureSource({ pixelFormat: 'gray', size: { width: 64, height: 36 } });
const worker = await startFleetWorker({
  nc,
  fleet,
  id: process.env['WORKER_ID']!,
  capacity: Number(process.env['CAPACITY'] ?? 50),
  sourceFor: (camera) => (new URL(camera.url).pathname.startsWith('/fake-') ? fakeCaptureSource({ width: 16, height: 12, fps: Number(process.env['FAKE_FPS'] ?? 10) }) : real),
  onCamera: (camera) => camera.frames$.subscribe({ error: () => undefined }),
  leaseTime: Number(process.env['LEASE_TIME'] ?? 3000),
  renewEvery: Number(process.env['RENEW_EVERY'] ?? 1000),
  log: (line) => console.log(`${process.env['WORKER_ID']}: ${line}`),
});
console.log(`${worker.id}: ready`);
process.once('SIGTERM', () => {
  void worker.drain().then(async () => {
    await nc.drain();
    console.log(`${worker.id}: drained`);
    process.exit(0);
  });
});
