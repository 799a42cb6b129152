#!/usr/bin/env node
import { clearScreenDown, moveCursor } from 'node:readline';
import { Command, InvalidArgumentError, Option } from 'commander';
import { RtspError } from '../errors.js';
import { captureSource, cameraUrl, UsageError, type CameraTargetOptions } from './camera-target.js';
import { describeProbe, probe } from './probe.js';
import { connectFleet, listFleet, runWorker } from './fleet.js';
import { serve } from './serve.js';
import { snapshot, snapshotFormat } from './snapshot.js';
import { statusLine, statusTable, WATCH_CAPTURE, watchCameras, type CameraStatus } from './watch.js';

/**
 * The `rtsp-rx` command: probe cameras and take snapshots from the shell. Credentials come from
 * RTSP_RX_USERNAME and RTSP_RX_PASSWORD or a file, never from the command line.
 */
interface GlobalOptions extends CameraTargetOptions {
  readonly timeout: number;
}

const milliseconds = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('a whole number of milliseconds above 0');
  return parsed;
};

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return parsed;
};

/** Resolves at Ctrl-C or a SIGTERM. */
const stopped = () =>
  new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

const program = new Command('rtsp-rx')
  .description('RTSP cameras from the shell: probe them, take snapshots, watch them, serve a dashboard of them, run them as a fleet on NATS.\nCredentials: RTSP_RX_USERNAME and RTSP_RX_PASSWORD, or --credentials-file; never in the URL, where every local user could read them.')
  .addOption(new Option('--source <source>', 'capture source: ffmpeg (needs ffmpeg 5.0 or newer on PATH) or opencv (needs @u4/opencv4nodejs)').choices(['ffmpeg', 'opencv']).default('ffmpeg'))
  .addOption(new Option('--transport <transport>', 'how RTP travels: auto tries TCP, then UDP if the camera refuses it').choices(['auto', 'tcp', 'udp']).default('auto'))
  .option('--credentials-file <file>', 'a file whose first line is username:password')
  .option('--timeout <ms>', 'how long to wait for the stream and its first frame', milliseconds, 10_000)
  .showHelpAfterError();

program
  .command('probe')
  .description('connect to each camera once and print its codec, size, fps and transport, and the time to open and to the first frame; exit code 1 if any failed')
  .argument('<url...>', 'rtsp:// URLs, without passwords')
  .option('--json', 'print the results as JSON')
  .action(async (urls: string[], options: { json?: boolean }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>();
    const source = await captureSource(global);
    const results = await Promise.all(urls.map((url) => probe(cameraUrl(url, global, process.env), source, global.timeout)));
    console.log(options.json === true ? JSON.stringify(results, null, 2) : results.map(describeProbe).join('\n'));
    process.exitCode = results.every((result) => result.ok) ? 0 : 1;
  });

program
  .command('snapshot')
  .description('write one fresh frame of a camera as JPEG or PNG')
  .argument('<url>', 'an rtsp:// URL, without a password')
  .option('-o, --output <file>', 'the file to write: .jpg, .jpeg or .png', 'snapshot.jpg')
  .action(async (url: string, options: { output: string }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>();
    const source = await captureSource(global, { pixelFormat: snapshotFormat(options.output), jpegQuality: 90 });
    const { width, height, bytes } = await snapshot(cameraUrl(url, global, process.env), source, options.output, global.timeout);
    console.log(`${options.output}: ${width}x${height}, ${bytes} bytes`);
  });

program
  .command('watch')
  .description('follow each camera live: state, frames a second, age of the last frame, reconnects and the last error; a table redrawn in place on a terminal, a line per change (and a summary every 10 s) otherwise; Ctrl-C stops')
  .argument('<url...>', 'rtsp:// URLs, without passwords')
  .action(async (urls: string[], _options: object, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>();
    const source = await captureSource(global, WATCH_CAPTURE);
    const targets = urls.map((url) => cameraUrl(url, global, process.env));
    const terminal = process.stdout.isTTY === true;
    let statuses: readonly CameraStatus[] = [];
    let drawnLines = 0;
    const draw = (): void => {
      const at = Date.now();
      if (!terminal) {
        for (const status of statuses) console.log(statusLine(status, at));
        return;
      }
      const lines = statusTable(statuses, at);
      moveCursor(process.stdout, 0, -drawnLines);
      clearScreenDown(process.stdout);
      process.stdout.write(`${lines.join('\n')}\n`);
      drawnLines = lines.length;
    };
    const watching = watchCameras(targets, source).subscribe((next) => {
      // Off a terminal, each change of state is a line of its own as it happens.
      if (!terminal) next.forEach((status, index) => status.state !== statuses[index]?.state && console.log(statusLine(status, Date.now())));
      statuses = next;
    });
    const timer = setInterval(draw, terminal ? 500 : 10_000);
    await stopped();
    clearInterval(timer);
    watching.unsubscribe();
    if (terminal) draw();
  });

program
  .command('serve')
  .description('serve a dashboard of the cameras of a file: live pictures, state and figures, each camera as MJPEG and snapshot, state as Server-Sent Events, and /metrics for Prometheus; the file is read again when it changes; Ctrl-C stops')
  .requiredOption('-c, --config <file>', 'the cameras file (YAML): cameras by name, each with a url, and credentials or options if needed')
  .option('--host <address>', 'the address to listen on', '127.0.0.1')
  .option('-p, --port <port>', 'the port to listen on; 0 for a free one', port, 8080)
  .action(async (options: { config: string; host: string; port: number }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>();
    const serving = await serve({
      ...options,
      jpegSource: (capture) => captureSource(global, { pixelFormat: 'jpeg', ...capture }),
      log: (line) => console.log(`rtsp-rx serve: ${line}`),
      snapshotTimeout: global.timeout,
    });
    console.log(`rtsp-rx serve: ${serving.url} (${serving.cameras.names.length} cameras from ${options.config}; /metrics for Prometheus)`);
    await stopped();
    await serving.close();
  });

const fleet = program.command('fleet').description('the camera list of a fleet on NATS JetStream, which its workers share out (rtsp-rx worker)');
fleet.option('--nats <url>', 'the NATS server', 'nats://127.0.0.1:4222');
const withFleet = async <T>(command: Command, use: (buckets: Awaited<ReturnType<typeof connectFleet>>['fleet']) => Promise<T>): Promise<T> => {
  const { nc, fleet: buckets } = await connectFleet(command.optsWithGlobals<{ nats: string }>().nats);
  try {
    return await use(buckets);
  } finally {
    await nc.close();
  }
};
fleet
  .command('add')
  .description('add a camera to the fleet, or change it; credentials from RTSP_RX_USERNAME and RTSP_RX_PASSWORD or --credentials-file, kept in the bucket')
  .argument('<name>', 'the camera name: letters, digits, - and _')
  .argument('<url>', 'an rtsp:// URL, without a password')
  .action(async (name: string, url: string, _options: object, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new UsageError(`camera name ${JSON.stringify(name)} must be 1 to 64 letters, digits, - or _`);
    const target = cameraUrl(url, global, process.env);
    await withFleet(command, (buckets) => buckets.cameras.put(name, JSON.stringify({ url: target })));
    console.log(`${name}: ${url} in the fleet`);
  });
fleet
  .command('remove')
  .description('remove a camera from the fleet: its worker stops it')
  .argument('<name>')
  .action(async (name: string, _options: object, command: Command) => {
    await withFleet(command, (buckets) => buckets.cameras.delete(name));
    console.log(`${name}: removed`);
  });
fleet
  .command('list')
  .description('every camera of the fleet, with its worker and state')
  .action(async (_options: object, command: Command) => {
    console.log((await withFleet(command, listFleet)).join('\n') || 'no cameras');
  });

program
  .command('worker')
  .description('capture a share of the fleet\'s cameras, as one of its workers: each camera by exactly one live worker, taken over within the lease time when a worker dies; SIGINT or SIGTERM hands its cameras over and stops')
  .option('--nats <url>', 'the NATS server', 'nats://127.0.0.1:4222')
  .option('--id <id>', 'the worker\'s name in the fleet; default: host name and process id')
  .option('--capacity <cameras>', 'cameras it captures at most', (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('a whole number above 0');
    return parsed;
  }, 50)
  .action(async (options: { nats: string; id?: string; capacity: number }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>();
    await runWorker({ ...options, source: await captureSource(global), log: (line) => console.log(`rtsp-rx worker: ${line}`) }, stopped());
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) {
    console.error(`rtsp-rx: ${error.message.replace(/^rtsp-rx: /, '')}`);
    process.exitCode = 2;
  } else if (error instanceof RtspError) {
    console.error(`rtsp-rx: ${error.code}: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
});
