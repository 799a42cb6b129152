import { request, type IncomingMessage } from 'node:http';

/** Opens a GET request and resolves with the response once its headers are in. */
export function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, resolve).on('error', reject).end());
}

/** The whole body of a GET request. */
export async function fetchBody(url: string): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  const response = await get(url);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, type: response.headers['content-type'], body: Buffer.concat(chunks) };
}

/** Server-Sent Events of a URL, parsed: every `data` as JSON, until `close()`. */
export async function serverSentEvents<T>(url: string): Promise<{ events: T[]; ended: Promise<void>; next(test: (event: T) => boolean, timeout?: number): Promise<T>; close(): void }> {
  const response = await get(url);
  const events: T[] = [];
  const waiters = new Set<() => void>();
  let pending = '';
  response.setEncoding('utf8');
  response.on('data', (text: string) => {
    pending += text;
    for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
      const data = pending.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
      pending = pending.slice(end + 2);
      if (data !== undefined) events.push(JSON.parse(data.slice(6)) as T);
    }
    for (const wake of waiters) wake();
  });
  const ended = new Promise<void>((resolve) => response.once('close', resolve));
  let seen = 0;
  return {
    events,
    ended,
    close: () => response.destroy(),
    /** The first event after the ones already returned that passes `test`. */
    next: (test, timeout = 20_000) =>
      new Promise<T>((resolve, reject) => {
        const look = () => {
          while (seen < events.length) {
            const event = events[seen++]!;
            if (test(event)) {
              waiters.delete(look);
              clearTimeout(timer);
              return resolve(event);
            }
          }
        };
        const timer = setTimeout(() => (waiters.delete(look), reject(new Error(`no such event in ${timeout} ms; got ${JSON.stringify(events)}`))), timeout);
        waiters.add(look);
        look();
      }),
  };
}

/** Parts of a `multipart/x-mixed-replace` response, read as they come. */
export function mjpegParts(response: IncomingMessage): { parts: Buffer[]; bytes: () => number } {
  const parts: Buffer[] = [];
  let buffered = Buffer.alloc(0);
  let bytes = 0;
  response.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const headerEnd = buffered.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffered.subarray(0, headerEnd).toString('latin1'))?.[1]);
      if (buffered.length < headerEnd + 4 + length + 2) return;
      parts.push(buffered.subarray(headerEnd + 4, headerEnd + 4 + length));
      buffered = buffered.subarray(headerEnd + 4 + length + 2);
    }
  });
  return { parts, bytes: () => bytes };
}
