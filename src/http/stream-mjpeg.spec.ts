import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { defer, EMPTY, map, Observable, of, Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../capture-source.js';
import { rtspConnection } from '../rtsp-connection.js';
import { fakeCaptureSource } from '../testing/fake-capture-source.js';
import { CameraDemand } from '../camera-demand.js';
import { streamMjpeg } from './stream-mjpeg.js';

const jpeg = (sequence: number): Frame => ({ data: Buffer.from([0xff, 0xd8, sequence, 0xff, 0xd9]), width: 2, height: 2, channels: 3, pixelFormat: 'jpeg', capturedAt: 1000 + sequence, sequence });

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves `frames$` as MJPEG with plain `node:http` on a loopback port; resolves with a first client's response. */
async function serve(frames$: Observable<Frame>): Promise<IncomingMessage> {
  server = createServer((_, response) => streamMjpeg(frames$, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return connect();
}

/** Another client of the running server. */
function connect(): Promise<IncomingMessage> {
  const { port } = server!.address() as { port: number };
  return new Promise((resolve, reject) => request(`http://127.0.0.1:${port}/`, resolve).on('error', reject).end());
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

/** The capture times of the first `count` parts; then the client goes away. */
const firstParts = async (response: IncomingMessage, count: number) => {
  let text = '';
  for await (const chunk of response) {
    text += (chunk as Buffer).toString('latin1');
    const capturedAt = [...text.matchAll(/X-Captured-At: (\d+)\r\n\r\n/g)].map((match) => Number(match[1]));
    if (capturedAt.length >= count) return capturedAt.slice(0, count);
  }
  throw new Error(`the stream ended before ${count} parts`);
};

const body = async (response: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
};

describe('streamMjpeg', () => {
  it('writes each frame as a multipart part with its length and capture time, and ends with frames$', async () => {
    const frames$ = new Subject<Frame>();
    const response = await serve(frames$);
    expect(response.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=rtsp-rx-frame');
    expect(response.headers['cache-control']).toBe('no-store');
    frames$.next(jpeg(1));
    frames$.complete();
    expect(await body(response)).toBe('--rtsp-rx-frame\r\nContent-Type: image/jpeg\r\nContent-Length: 5\r\nX-Captured-At: 1001\r\n\r\n\xff\xd8\x01\xff\xd9\r\n');
  });

  it('asks for one frame at a time, the next only once the part is out: what comes meanwhile is not taken', async () => {
    const frames$ = new Subject<Frame>();
    let asks = 0;
    const response = await serve(defer(() => (asks++, frames$)));
    expect(asks).toBe(1);
    // Three frames in one turn of the event loop: the first is taken, and the kernel has not
    // had it yet when the two others come.
    [1, 2, 3].forEach((sequence) => frames$.next(jpeg(sequence)));
    expect(frames$.observed).toBe(false);
    await until(() => frames$.observed);
    expect(asks).toBe(2);
    frames$.next(jpeg(4));
    await until(() => frames$.observed);
    frames$.complete();
    expect((await body(response)).match(/X-Captured-At: \d+/g)).toEqual(['X-Captured-At: 1001', 'X-Captured-At: 1004']);
  });

  it('ends at once on a frames$ that has ended, without asking again', async () => {
    let asks = 0;
    const response = await serve(defer(() => (asks++, EMPTY)));
    expect(await body(response)).toBe('');
    expect(asks).toBe(1);
  });

  it('cuts the response on a frame that is not JPEG, for the picture could not be shown', async () => {
    const response = await serve(of({ ...jpeg(1), pixelFormat: 'gray' as const }));
    await expect(body(response)).rejects.toThrow(/aborted/);
  });

  it('unsubscribes from frames$ when the client goes away', async () => {
    let released!: () => void;
    const unsubscribed = new Promise<void>((resolve) => (released = resolve));
    const response = await serve(new Observable<Frame>(() => released));
    response.destroy();
    await unsubscribed;
  });
});

describe('streamMjpeg from plain node:http, over a shared camera connection', () => {
  // The fake draws raw pixels; streamMjpeg forwards bytes without decoding them, so a JPEG's
  // start and end markers around a few of them make a part.
  const asJpeg = (frame: Frame): Frame => ({ ...frame, pixelFormat: 'jpeg', data: Buffer.concat([Buffer.from([0xff, 0xd8]), frame.data.subarray(0, 16), Buffer.from([0xff, 0xd9])]) });

  it('gives every client the live frames of one capture, and releases it once the clients and the state subscriber leave', async () => {
    const source = fakeCaptureSource({ fps: 50 });
    const demand = new CameraDemand();
    const camera = rtspConnection('rtsp://127.0.0.1/fake', { source, demand$: demand.demand$ });
    // Holds the camera open between the parts, when no client holds a frame subscription.
    const states = camera.connection$.subscribe();
    const frames$ = demand.taking(camera.frames$.pipe(map(asJpeg)));

    const clients = [await serve(frames$), await connect()];
    for (const capturedAt of await Promise.all(clients.map((response) => firstParts(response, 5)))) {
      expect(capturedAt.slice(1).every((time, i) => time > capturedAt[i]!), `${capturedAt}`).toBe(true);
    }
    expect(source.opened).toBe(1);

    await until(() => demand.idle);
    states.unsubscribe();
    expect(source.active).toBe(0);
  });
});
