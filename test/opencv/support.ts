import { readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import { rtspConnection, type ConnectionState, type Frame, type RtspConnectionOptions } from '../../src/index.js';
import { captureProcesses } from '../../src/testing/index.js';

/** Options that make faults quick to see in a test, on top of the ones a test gives. */
export const QUICK = { reconnectDelay: 200, maxReconnectDelay: 1000, openTimeout: 6000, firstFrameTimeout: 15_000, stallTimeout: 1000 } as const;

/** A connection under observation: every state with its time, and the frames. */
export interface Watched {
  readonly states: Array<{ readonly at: number; readonly state: ConnectionState }>;
  readonly frames: Frame[];
  readonly started: number;
  /** Statuses in order, causes by code: `reconnecting:STALLED`. */
  statuses(): string[];
  /** Resolves when `predicate` holds, checking every 20 ms; rejects after `timeout` ms. */
  until(what: string, predicate: () => boolean, timeout?: number): Promise<number>;
  /** Resolves once `count` more frames have arrived. */
  moreFrames(count: number, timeout?: number): Promise<number>;
  stop(): void;
}

const watchers = new Set<Subscription>();

export function watch(url: string, options: RtspConnectionOptions, keepFrames = 200): Watched {
  const connection = rtspConnection(url, options);
  const states: Watched['states'] = [];
  const frames: Frame[] = [];
  const started = Date.now();
  const subscription = connection.events$.subscribe((event) => {
    if (event.type === 'state') states.push({ at: Date.now() - started, state: event.state });
    else {
      frames.push(event.frame);
      if (frames.length > keepFrames) frames.shift();
    }
  });
  watchers.add(subscription);
  let seen = 0;
  const counter = connection.frames$.subscribe({ next: () => seen++, error: () => undefined });
  subscription.add(counter);
  const until = async (what: string, predicate: () => boolean, timeout = 20_000): Promise<number> => {
    const deadline = Date.now() + timeout;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}; states: ${statuses().join(' → ')}`);
      await sleep(20);
    }
    return Date.now() - started;
  };
  const statuses = () => states.map(({ state }) => ('cause' in state ? `${state.status}:${state.cause.code}` : state.status));
  return {
    states,
    frames,
    started,
    statuses,
    until,
    moreFrames: (count, timeout) => {
      const target = seen + count;
      return until(`${count} more frames`, () => seen >= target, timeout);
    },
    stop: () => {
      subscription.unsubscribe();
      watchers.delete(subscription);
    },
  };
}

/** Unsubscribes whatever a test left watching. */
export function stopAllWatchers(): void {
  for (const subscription of watchers) subscription.unsubscribe();
  watchers.clear();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How many file descriptors this process holds. */
export const openFileDescriptors = (): number => readdirSync('/proc/self/fd').length;

/** Waits up to `timeout` ms for every capture process to be gone and the descriptors back to `baseline`. */
export async function expectReleased(baseline: number, timeout = 1000): Promise<{ processes: number; descriptors: number }> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const processes = captureProcesses().length;
    const descriptors = openFileDescriptors();
    if ((processes === 0 && descriptors <= baseline) || Date.now() > deadline) return { processes, descriptors };
    await sleep(20);
  }
}

/** Records the event loop's delay until `stop()`; returns the p99 and the maximum in ms. */
export function eventLoopDelay(): { stop(): { p99: number; max: number } } {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
    },
  };
}

/** A TCP server on loopback that does something rude with every connection. */
export async function rudeServer(behaviour: 'silent' | 'garbage'): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (behaviour === 'garbage') socket.on('data', () => socket.write('HTTP/1.0 200 OK\r\n\r\n\u0000\u00ff garbage \u0001\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `rtsp://127.0.0.1:${port}/cam`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
