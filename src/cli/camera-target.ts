import { readFileSync } from 'node:fs';
import type { CaptureOptions } from '../capture/capture-options.js';
import type { CaptureSource } from '../capture-source.js';
import { cameraAddress } from '../camera-address.js';

/** What every command of `rtsp-rx` is told of the cameras, from its options and environment. */
export interface CameraTargetOptions {
  readonly source: 'ffmpeg' | 'opencv';
  readonly transport: 'auto' | 'tcp' | 'udp';
  readonly credentialsFile?: string;
}

/**
 * A camera's URL with the credentials put in, in memory only: from `RTSP_RX_USERNAME` and
 * `RTSP_RX_PASSWORD`, or from a file whose first line is `username:password`. A password
 * written in the URL on the command line is refused: `ps` shows every command line to every
 * local user.
 *
 * @throws UsageError for a password in the URL, or an unreadable credentials file.
 *
 * @example
 * ```ts
 * // RTSP_RX_USERNAME=viewer RTSP_RX_PASSWORD=s3cret
 * cameraUrl('rtsp://127.0.0.1:8554/cam', {}, process.env); // 'rtsp://viewer:s3cret@127.0.0.1:8554/cam'
 * ```
 */
export function cameraUrl(url: string, options: Pick<CameraTargetOptions, 'credentialsFile'>, env: NodeJS.ProcessEnv): string {
  const address = cameraAddress('rtsp-rx', url);
  if (new URL(address.url).password !== '') {
    throw new UsageError(`the password in ${address.redacted} would show in every process list: give it in RTSP_RX_PASSWORD (and RTSP_RX_USERNAME), or in a file named by --credentials-file`);
  }
  const credentials = options.credentialsFile === undefined ? fromEnvironment(env) : fromFile(options.credentialsFile);
  return credentials === undefined ? address.url : cameraAddress('rtsp-rx', address.url, credentials).url;
}

function fromEnvironment(env: NodeJS.ProcessEnv): { username: string; password: string } | undefined {
  const { RTSP_RX_USERNAME: username, RTSP_RX_PASSWORD: password } = env;
  if (username === undefined && password === undefined) return undefined;
  return { username: username ?? '', password: password ?? '' };
}

function fromFile(file: string): { username: string; password: string } {
  let line: string;
  try {
    line = readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new UsageError(`could not read --credentials-file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const colon = line.indexOf(':');
  if (colon < 0) throw new UsageError(`--credentials-file ${file}: its first line must be username:password`);
  return { username: line.slice(0, colon), password: line.slice(colon + 1) };
}

/**
 * The capture source a command asked for. The OpenCV source is loaded only when asked for, so
 * the command runs without the native addon.
 *
 * @example
 * ```ts
 * const source = await captureSource({ source: 'ffmpeg', transport: 'auto' }, { pixelFormat: 'jpeg' });
 * ```
 */
export async function captureSource(options: Pick<CameraTargetOptions, 'source' | 'transport'>, capture: Omit<CaptureOptions, 'transport'> = {}): Promise<CaptureSource> {
  const settings = { ...capture, transport: options.transport };
  if (options.source === 'opencv') return (await import('../opencv/index.js')).opencvCaptureSource(settings);
  return (await import('../ffmpeg/index.js')).ffmpegCaptureSource(settings);
}

/** A mistake in how the command was called: exit code 2, and the message alone. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
