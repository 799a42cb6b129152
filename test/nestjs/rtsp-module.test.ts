import 'reflect-metadata';
import { Module, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Socket } from 'node:net';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStateMessage } from '../../src/index.js';
import { RtspCameras, RtspModule } from '../../src/nestjs/index.js';
import { loadOpenCv } from '../../src/opencv/index.js';
import { captureProcesses, startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { startExample } from '../example-process.js';
import { expectReleased, openFileDescriptors, QUICK, sleep } from '../opencv/support.js';
import { bootCameras } from './boot-cameras.js';
import { fetchBody, get, mjpegParts, serverSentEvents } from './http-client.js';

// Quietly, as an application would: the addon's own Info lines stay out of the test's output.
const cv = loadOpenCv();

let camera: TestCamera | undefined;
let app: INestApplication | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await camera?.close();
  camera = undefined;
});

async function boot(imports: ModuleMetadata['imports']): Promise<{ base: string; sockets: Socket[] }> {
  const booted = await bootCameras(imports);
  app = booted.app;
  return booted;
}

const jpegCamera = (url: string) => ({ url, pixelFormat: 'jpeg' as const, ...QUICK });

describe('RtspModule in a NestJS application, over real HTTP', () => {
  it('serves state as SSE, a JPEG snapshot and live MJPEG from one connection, follows a camera outage, and releases everything on close', async () => {
    const baseline = openFileDescriptors();
    camera = await startTestCamera({ width: 320, height: 240 });
    const { base } = await boot([RtspModule.forRoot({ cameras: { door: jpegCamera(camera.url) } })]);

    const states = await serverSentEvents<ConnectionStateMessage>(`${base}/door/state`);
    await states.next((state) => state.status === 'connected');
    await sleep(1500);

    const snapshot = await fetchBody(`${base}/door/snapshot.jpg`);
    expect(snapshot).toMatchObject({ status: 200, type: 'image/jpeg' });
    const picture = cv.imdecode(snapshot.body);
    expect([picture.cols, picture.rows]).toEqual([320, 240]);
    picture.release();

    const viewers = await Promise.all([get(`${base}/door/live.mjpeg`), get(`${base}/door/live.mjpeg`)]);
    expect(viewers[0]!.headers['content-type']).toMatch(/^multipart\/x-mixed-replace; boundary=/);
    const streams = viewers.map(mjpegParts);
    await sleep(3000);
    for (const { parts } of streams) {
      expect(parts.length).toBeGreaterThan(30);
      expect([...parts.at(-1)!.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    }
    // Two viewers, an SSE client and a snapshot: still one camera connection.
    expect(captureProcesses()).toHaveLength(1);
    expect(await fetchBody(`${base}`)).toMatchObject({ status: 200 });
    expect(JSON.parse((await fetchBody(base)).body.toString())).toEqual([{ name: 'door', connected: true, width: 320, height: 240, fps: 25, reconnects: 0 }]);

    await camera.kill();
    const outage = await states.next((state) => state.status === 'reconnecting');
    expect(outage).toMatchObject({ status: 'reconnecting', cause: { code: expect.any(String), message: expect.any(String) } });
    expect((await fetchBody(`${base}/door/snapshot.jpg`)).status).toBe(503);
    await camera.restart();
    await states.next((state) => state.status === 'connected');
    const before = streams[0]!.parts.length;
    await sleep(1000);
    expect(streams[0]!.parts.length).toBeGreaterThan(before);

    const ended = Promise.all([states.ended, ...viewers.map((viewer) => new Promise((resolve) => viewer.once('close', resolve)))]);
    await app!.close();
    app = undefined;
    await ended;
    expect(await expectReleased(baseline + 10, 2000)).toMatchObject({ processes: 0 });
  }, 90_000);

  it('gives a client slower than the camera fewer frames, with one frame at most queued for it and memory flat', async () => {
    camera = await startTestCamera({ width: 640, height: 480 });
    const { base, sockets } = await boot([RtspModule.forRoot({ cameras: { yard: jpegCamera(camera.url) } })]);
    const fast = mjpegParts(await get(`${base}/yard/live.mjpeg`));
    const slowResponse = await get(`${base}/yard/live.mjpeg`);
    const slow = mjpegParts(slowResponse);
    // Reads about 40 kB a second: after each chunk, waits as long as that chunk takes at that rate.
    slowResponse.on('data', (chunk: Buffer) => {
      slowResponse.pause();
      setTimeout(() => slowResponse.resume(), chunk.length / 40);
    });
    const liveSockets = () => sockets.filter((socket) => !socket.destroyed);
    await sleep(3000);
    const rssBefore = process.memoryUsage().rss;
    let queuedMax = 0;
    for (let sample = 0; sample < 120; sample++) {
      await sleep(100);
      queuedMax = Math.max(queuedMax, ...liveSockets().map((socket) => socket.writableLength));
    }
    const rssGrowth = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    const largestPart = Math.max(...fast.parts.map((part) => part.length));
    console.log(`12 s: fast client ${fast.parts.length} frames, slow client ${slow.parts.length} frames (${(slow.bytes() / 1024).toFixed(0)} KiB), ` +
      `most bytes queued for a client ${(queuedMax / 1024).toFixed(0)} KiB (largest frame ${(largestPart / 1024).toFixed(0)} KiB), RSS ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} MiB`);
    expect(slow.parts.length).toBeLessThan(fast.parts.length / 3);
    expect(slow.parts.length).toBeGreaterThan(0);
    expect(queuedMax).toBeLessThanOrEqual(largestPart + 1024);
    expect(rssGrowth).toBeLessThan(30);
  }, 60_000);

  it('encodes only what clients take: nothing while nobody watches, nothing for a client that stopped reading', async () => {
    // Noise makes large JPEGs, which fill a connection's socket buffers in a second.
    camera = await startTestCamera({ width: 640, height: 480, pattern: 'snow' });
    const { base } = await boot([RtspModule.forRoot({ cameras: { gate: jpegCamera(camera.url) } })]);
    const gate = app!.get(RtspCameras).get('gate');
    // Every frame the application receives was encoded for it; the sequence counts them, and
    // each snapshot() adds its own.
    const encoded = async () => (await gate.snapshot())!.sequence;
    await firstValueFrom(gate.connection$.pipe(filter((state) => state.status === 'connected')));
    const idleFrom = await encoded();
    await sleep(3000);
    const idleEncoded = (await encoded()) - idleFrom - 1;

    const viewer = await get(`${base}/gate/live.mjpeg`);
    const stuck = mjpegParts(viewer);
    await sleep(1000);
    viewer.pause();
    await sleep(3000);
    const stuckFrom = await encoded();
    const takenFrom = stuck.parts.length;
    await sleep(3000);
    const stuckEncoded = (await encoded()) - stuckFrom - 1;
    console.log(`nobody watching for 3 s: ${idleEncoded} frames encoded; a client that stopped reading, its connection full, for 3 s: ${stuckEncoded} encoded (the camera sent about 75)`);
    expect(idleEncoded).toBe(0);
    expect(stuck.parts.length).toBe(takenFrom);
    expect(stuckEncoded).toBeLessThanOrEqual(1);
    viewer.destroy();
    expect(captureProcesses()).toHaveLength(1);
  }, 60_000);

  it('is configured by forRootAsync with imports and inject', async () => {
    camera = await startTestCamera();
    const urls = { provide: 'CAMERA_URLS', useValue: [camera.url] };
    @Module({ providers: [urls], exports: [urls] })
    class SettingsModule {}
    const { base } = await boot([
      RtspModule.forRootAsync({
        imports: [SettingsModule],
        inject: ['CAMERA_URLS'],
        useFactory: (cameraUrls: string[]) => ({ cameras: Object.fromEntries(cameraUrls.map((url, index) => [`cam${index}`, jpegCamera(url)])) }),
      }),
    ]);
    const states = await serverSentEvents<ConnectionStateMessage>(`${base}/cam0/state`);
    await states.next((state) => state.status === 'connected');
    expect(app!.get(RtspCameras).names).toEqual(['cam0']);
    const missing = await fetchBody(`${base}/cam9/state`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).message).toBe('no camera named "cam9"; the cameras are cam0');
    states.close();
  }, 40_000);

  it.each<[string, object, RegExp]>([
    ['no cameras object', {}, /rtsp-rx: RtspModule: option cameras must be an object of cameras by name; got undefined/],
    ['a name unfit for a route', { cameras: { 'front door': { url: 'rtsp://127.0.0.1/a' } } }, /camera name "front door" must be 1 to 64 letters, digits, - or _/],
    ['a bad URL', { cameras: { door: { url: 'http://127.0.0.1/a' } } }, /rtsp-rx: RtspModule camera door: url must be an rtsp:\/\/ or rtsps:\/\/ URL/],
    ['a bad option', { cameras: { door: { url: 'rtsp://u:s3cret@127.0.0.1/a', reconnectDelay: -5 } } }, /rtsp-rx: RtspModule camera door: option reconnectDelay .*got -5/],
  ])('refuses %s at start-up, with a typed error naming the camera and option', async (_, options, message) => {
    const compiling = Test.createTestingModule({ imports: [RtspModule.forRoot(options as never)] }).compile();
    await expect(compiling).rejects.toThrow(message);
    await expect(compiling).rejects.toBeInstanceOf(Error);
    await compiling.catch((error: Error) => expect(String(error.stack)).not.toContain('s3cret'));
    expect(captureProcesses()).toHaveLength(0);
  });
});

describe('the example NestJS application', () => {
  it('runs on its own, serves its endpoints and releases its cameras on SIGTERM (shutdown hooks)', async () => {
    camera = await startTestCamera();
    const example = await startExample('examples/nestjs/main.ts', [], { ready: /listening on (http:\S+)/, env: { NO_COLOR: '1', PORT: '0', RTSP_URLS: camera.url } });
    const base = `${example.address}/cameras`;
    const states = await serverSentEvents<ConnectionStateMessage>(`${base}/cam0/state`);
    await states.next((state) => state.status === 'connected');
    const live = mjpegParts(await get(`${base}/cam0/live.mjpeg`));
    await sleep(1000);
    expect(live.parts.length).toBeGreaterThan(5);

    // Nest's shutdown hooks close the application, then raise the signal again to end the process.
    expect(await example.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    await states.ended;
    expect(example.output()).toMatch(/\[RtspCameras:cam0\] closed rtsp:\/\/127\.0\.0\.1:\d+\/cam/);
    expect(example.output()).not.toMatch(/ERROR/);
  }, 60_000);
});
