import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadTarget } from './read-target.js';

/**
 * Two connected Unix sockets: `inner`, to be handed to a child process as its stdout, and
 * `reader`, ours, which reads straight into the memory that `target` gives it: no buffer is
 * allocated per read, and nothing is copied on the way. Node's own stdio pipes read into a
 * fresh 64 KiB buffer each time, about a hundred of them for one 1920x1080 BGR picture.
 *
 * The socket's name lives in a directory only this user can enter, and is gone once the two
 * are connected, so no one else can connect in its place.
 *
 * @example
 * ```ts
 * const { inner, reader } = await frameSocketPair(new MessageDecoder(onMessage));
 * const child = spawn('ffmpeg', args, { stdio: ['pipe', inner, 'pipe'] });
 * inner.destroy(); // the child holds its own copy
 * ```
 */
export async function frameSocketPair(target: ReadTarget): Promise<{ inner: Socket; reader: Socket }> {
  const directory = await mkdtemp(join(tmpdir(), 'rtsp-rx-'));
  const server = createServer();
  try {
    const path = join(directory, 'frames');
    server.listen(path);
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    // Node passes the callback the memory it asked the buffer function for last.
    const onread = {
      buffer: () => target.space(),
      callback: (bytes: number) => {
        target.received(bytes);
        return true;
      },
    };
    const reader = connect({ path, onread });
    const [[inner]] = await Promise.all([accepted, once(reader, 'connect')]);
    return { inner, reader };
  } finally {
    server.close();
    await rm(directory, { recursive: true, force: true });
  }
}
