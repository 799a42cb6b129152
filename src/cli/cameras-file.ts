import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import type { CaptureOptions } from '../capture/capture-options.js';
import type { CameraConfig } from '../rtsp-cameras.js';
import { UsageError } from './camera-target.js';

/**
 * One camera of a cameras file: a camera of the registry (URL, credentials, timeouts and
 * back-off), and how its pictures are captured for the page: `size` and `maxFps`.
 */
export interface FileCamera extends Omit<CameraConfig, 'source' | 'logger'>, Pick<CaptureOptions, 'size' | 'maxFps'> {}

/** The cameras of a cameras file, by name, in the file's order. */
export type CamerasFile = Readonly<Record<string, FileCamera>>;

/**
 * Reads a cameras file (YAML):
 *
 * ```yaml
 * cameras:
 *   door:
 *     url: rtsp://192.0.2.10:554/stream1
 *     credentials: { username: viewer, password: s3cret }
 *     stallTimeout: 3000
 *   yard: { url: "rtsp://192.0.2.11:554/live", size: { width: 640, height: 360 }, maxFps: 10 }
 * ```
 *
 * Only the file's shape is checked here; each camera's options are checked as the registry adds
 * it, so that one camera's mistake keeps no other camera from running.
 *
 * @throws UsageError naming the file, for a file that cannot be read, is no YAML, or has no cameras.
 */
export async function readCamerasFile(file: string): Promise<CamerasFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let content: unknown;
  try {
    content = parse(text);
  } catch (error) {
    if (error instanceof YAMLParseError) throw new UsageError(`${file}: not YAML: ${error.message.split('\n')[0]}`);
    throw error;
  }
  const cameras = isObject(content) ? content['cameras'] : undefined;
  if (!isObject(cameras)) throw new UsageError(`${file}: must have cameras, an object of cameras by name, each with a url`);
  for (const [name, camera] of Object.entries(cameras)) {
    if (!isObject(camera)) throw new UsageError(`${file}: camera ${name} must be an object with a url`);
  }
  return cameras as CamerasFile;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
