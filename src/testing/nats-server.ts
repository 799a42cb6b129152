import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A nats-server of the system's (Debian's `nats-server` package), with JetStream, on loopback.
 *
 * @example
 * ```ts
 * const nats = await startNatsServer();
 * const nc = await connect({ servers: nats.url });
 * await nats.restart(); // the same port and the same JetStream store: clients reconnect
 * await nats.close();
 * ```
 */
export interface TestNatsServer {
  /** `nats://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** The server's process id, for a look at its CPU and memory; a new one after {@link TestNatsServer.restart}. */
  readonly pid: number;
  /** Stops the server (SIGTERM) and starts it again on the same port, with the same JetStream store. */
  restart(): Promise<void>;
  /** Stops the server and removes its JetStream store. */
  close(): Promise<void>;
}

/**
 * Starts nats-server with JetStream in a temporary directory, on a free loopback port, and
 * waits until it is ready.
 *
 * @throws Error when nats-server cannot start (not installed, the port taken), with its last output.
 *
 * @example
 * ```ts
 * const nats = await startNatsServer();
 * console.log(nats.url); // nats://127.0.0.1:41877
 * ```
 */
export async function startNatsServer(options: { readonly program?: string } = {}): Promise<TestNatsServer> {
  const store = mkdtempSync(join(tmpdir(), 'rtsp-rx-nats-'));
  const port = await freePort();
  let server: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn(options.program ?? 'nats-server', ['--addr', '127.0.0.1', '--port', String(port), '--jetstream', '--store_dir', store], { stdio: ['ignore', 'ignore', 'pipe'] });
    server = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Server is ready/.test(output)) resolve();
      });
      started.once('error', (error) => reject(new Error(`nats-server could not start: ${error.message}`)));
      started.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${output.split('\n').slice(-5).join('\n')}`)));
    });
  };
  const stop = async (): Promise<void> => {
    const running = server;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return server!.pid!;
    },
    restart: async () => {
      await stop();
      await launch();
    },
    close: async () => {
      await stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

/** A port no one listens on now, on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
