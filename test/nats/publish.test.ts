import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { firstValueFrom, from, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtspCameras } from '../../src/index.js';
import { ffmpegCaptureSource } from '../../src/ffmpeg/index.js';
import { publishJson, publishSnapshots, publishState } from '../../src/nats/index.js';
import { fakeCaptureSource, startNatsServer, startTestCamera, type TestNatsServer } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let nats: TestNatsServer;
let nc: NatsConnection;
let kv: KV;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  kv = await new Kvm(nc).create('rtsp-rx-states', { history: 1 });
});
afterAll(async () => {
  await nc?.close();
  await nats?.close();
});

/** `cameraState$` in a process of its own: each state it gets, a line of its own. */
function watchFromAnotherProcess(key: string) {
  const script = `
    import { connect } from '@nats-io/transport-node';
    import { Kvm } from '@nats-io/kv';
    import { cameraState$ } from ${JSON.stringify(pathToFileURL(`${root}src/nats/index.ts`).href)};
    const nc = await connect({ servers: ${JSON.stringify(nats.url)} });
    const kv = await new Kvm(nc).open('rtsp-rx-states');
    cameraState$(kv, ${JSON.stringify(key)}).subscribe((state) => console.log(state.status + (state.cause ? ' ' + state.cause.code : '')));`;
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    lines: () => output.split('\n').filter(Boolean),
    stop: () => child.kill('SIGKILL'),
  };
}

describe('rtsp-rx/nats against a real nats-server', () => {
  it('publishState: another process gets the current state at once, then each change, through a restart of the server', async () => {
    // The drop comes 12 s after connecting: after the watcher has started and the server restarted.
    const source = fakeCaptureSource({ fps: 25, attempts: [{ outcome: 'stream', frames: 300, then: 'drop' }, { outcome: 'stream' }] });
    const cameras = rtspCameras({ source, cameras: { door: { url: 'rtsp://127.0.0.1/door', reconnectDelay: 300 } } });
    const onSubject: string[] = [];
    const subscription = nc.subscribe('cameras.door.state', { callback: (_error, message) => void onSubject.push(message.json<{ status: string }>().status) });
    const publishing = cameras.get('door').connection$.pipe(publishState({ nc, subject: 'cameras.door.state', kv, key: 'door' })).subscribe();
    try {
      await expect.poll(async () => (await kv.get('door'))?.json<{ status: string }>().status).toBe('connected');
      // Came later, after the camera connected: the current state at once.
      const watcher = watchFromAnotherProcess('door');
      try {
        await expect.poll(() => watcher.lines(), { timeout: 10_000 }).toEqual(['connected']);
        await nats.restart();
        await expect.poll(() => watcher.lines(), { timeout: 20_000 }).toEqual(['connected', 'reconnecting ECONNRESET', 'connecting', 'connected']);
      } finally {
        watcher.stop();
      }
      expect(onSubject.slice(-3)).toEqual(['reconnecting', 'connecting', 'connected']);
    } finally {
      publishing.unsubscribe();
      subscription.unsubscribe();
      cameras.close();
    }
  }, 40_000);

  it('publishJson: detections stored in a JetStream stream, in order, for a consumer that comes later', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'DETECTIONS', subjects: ['detections.>'] });
    const detections = [{ camera: 'door', label: 'person', score: 0.91 }, { camera: 'door', label: 'cat', score: 0.55 }, { camera: 'door', label: 'person', score: 0.87 }];
    const passed = await firstValueFrom(from(detections).pipe(publishJson(jetstream(nc), 'detections.door')).pipe(toArray()));
    expect(passed).toEqual(detections);
    const consumer = await jetstream(nc).consumers.get('DETECTIONS');
    const messages = await consumer.fetch({ max_messages: 3, expires: 2000 });
    const stored = [];
    for await (const message of messages) stored.push(message.json());
    expect(stored).toEqual(detections);
  });

  it('publishSnapshots: JPEG frames of a real camera in the object store, at most one every `every` ms', async () => {
    const camera = await startTestCamera({ width: 320, height: 240, fps: 25 });
    const cameras = rtspCameras({ source: ffmpegCaptureSource({ pixelFormat: 'jpeg' }), cameras: { door: { url: camera.url } } });
    try {
      const store = await new Objm(nc).create('snapshots');
      const started = Date.now();
      const stored = await firstValueFrom(cameras.get('door').frames$.pipe(publishSnapshots(store, { name: 'door.jpg', every: 500 }), take(4), toArray()));
      // Four of the 25 a second, 500 ms apart at least: 1.5 s from the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(stored.every((info) => info.name === 'door.jpg' && info.size > 1000)).toBe(true);
      const data = await store.getBlob('door.jpg');
      expect([...data!.subarray(0, 2), ...data!.subarray(-2)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      expect(() => publishSnapshots(store, { name: '', every: 500 })).toThrow(/option name must be a string that is not empty/);
    } finally {
      cameras.close();
      await camera.close();
    }
  });
});
