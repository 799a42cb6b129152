#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { RtspError } from '../errors.js';
import { captureSource, cameraUrl, UsageError, type CameraTargetOptions } from './camera-target.js';
import { describeProbe, probe } from './probe.js';
import { snapshot, snapshotFormat } from './snapshot.js';

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

const program = new Command('rtsp-rx')
  .description('RTSP cameras from the shell: probe them, take snapshots.\nCredentials: RTSP_RX_USERNAME and RTSP_RX_PASSWORD, or --credentials-file; never in the URL, where every local user could read them.')
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
