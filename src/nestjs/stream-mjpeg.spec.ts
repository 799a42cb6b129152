import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { Observable, of } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../capture-source.js';
import { streamMjpeg } from './stream-mjpeg.js';

const jpeg = (sequence: number): Frame => ({ data: Buffer.from([0xff, 0xd8, sequence, 0xff, 0xd9]), width: 2, height: 2, channels: 3, pixelFormat: 'jpeg', capturedAt: 1000 + sequence, sequence });

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves `frames$` as MJPEG on a loopback port; resolves with the client's response. */
async function serve(frames$: Observable<Frame>): Promise<IncomingMessage> {
  server = createServer((_, response) => streamMjpeg(frames$, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return new Promise((resolve, reject) => request(`http://127.0.0.1:${port}/`, resolve).on('error', reject).end());
}

const body = async (response: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
};

describe('streamMjpeg', () => {
  it('writes each frame as a multipart part with its length and capture time, and ends with frames$', async () => {
    const response = await serve(of(jpeg(1)));
    expect(response.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=rtsp-rx-frame');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(await body(response)).toBe('--rtsp-rx-frame\r\nContent-Type: image/jpeg\r\nContent-Length: 5\r\nX-Captured-At: 1001\r\n\r\n\xff\xd8\x01\xff\xd9\r\n');
  });

  it('skips the frames that come while a part is still being written', async () => {
    // Three frames in one turn of the event loop: the first is written, the two others arrive
    // before the kernel has taken it.
    const response = await serve(of(jpeg(1), jpeg(2), jpeg(3)));
    expect((await body(response)).match(/X-Captured-At: \d+/g)).toEqual(['X-Captured-At: 1001']);
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
