/**
 * The fleet benchmark's bare alternative: a worker's share of the fake cameras in a registry of
 * its own, no NATS, no leases. The same source and the same consumer as a fleet worker, so the
 * difference in CPU is what coordination costs.
 *
 *   CAMERAS=100 FAKE_FPS=5 npx tsx bench/fleet-bare-worker.ts
 */
import { rtspCameras } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';

const registry = rtspCameras({});
for (let index = 0; index < Number(process.env['CAMERAS']); index++) {
  const camera = registry.add(`fake${index}`, { url: `rtsp://127.0.0.1/fake-${index}`, source: fakeCaptureSource({ width: 16, height: 12, fps: Number(process.env['FAKE_FPS']) }) });
  camera.frames$.subscribe({ error: () => undefined });
}
console.log('ready');
