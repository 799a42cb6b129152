/**
 * The capture process: one per camera attempt, started by `opencvCaptureSource`. It is the
 * only place where OpenCV touches a camera, so that a camera can freeze, starve or crash this
 * process and never the application.
 *
 * It reads its settings, URL included, as one JSON line on stdin (never argv, which `ps`
 * shows to every user); opens the camera; drains the decoder without pause; and sends frames
 * on fd 3 while the application has granted credit for them, a heartbeat for each picture it
 * does not send. Whatever OpenCV and FFmpeg print
 * goes to stdout and stderr, which the application routes to its debug log. It exits when
 * stdin closes, so it can never outlive the application.
 */
import { Socket } from 'node:net';
import { openControlChannel } from './control-channel.js';
import { encodeJson, type CaptureMessage } from './frame-protocol.js';
import { FrameReader } from './frame-reader.js';

type OpenCv = typeof import('@u4/opencv4nodejs').default;

const output = new Socket({ fd: 3, readable: false, writable: true });
// The application is gone, or has let go of this capture: nothing is left to tell anyone.
for (const stream of [output, process.stdout, process.stderr]) stream.on('error', () => process.exit(1));

/** Set once the last word is said: nothing may be written after it. */
let stopping = false;
const send = (message: Exclude<CaptureMessage, { type: 'frame' }>): void => {
  if (!stopping) output.write(encodeJson(message));
};

function fail(code: Extract<CaptureMessage, { type: 'failed' }>['code'], message: string): never {
  if (!stopping) {
    stopping = true;
    output.end(encodeJson({ type: 'failed', code, message }), () => process.exit(1));
  }
  // Unwinds the read loop; the process exits once the message is out.
  throw new CaptureStopped();
}

class CaptureStopped extends Error {}

async function main(): Promise<void> {
  // Closed stdin means the application is gone or has let go: nothing is left to do.
  const channel = openControlChannel(process.stdin, () => process.exit(0));
  const settings = await channel.settings;
  if (settings === undefined) return;

  // Read when the addon loads or a capture opens, so they are set before either. Frames are
  // released by hand here, and the addon's memory accounting is what crashes V8 with many
  // cameras; the addon is built against the system's OpenCV, never downloaded.
  process.env['OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING'] = '1';
  process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';
  process.env['OPENCV_FFMPEG_CAPTURE_OPTIONS'] = settings.ffmpegOptions;
  let cv: OpenCv;
  try {
    cv = ((await import('@u4/opencv4nodejs')) as { default: OpenCv }).default;
  } catch (error) {
    // No retry can cure a missing or broken addon: the application gives up at once.
    fail('CAPTURE_UNAVAILABLE', `the OpenCV addon @u4/opencv4nodejs could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install it as the README says, or use another capture source`);
  }

  let capture: InstanceType<OpenCv['VideoCapture']>;
  try {
    capture = new cv.VideoCapture(settings.url, settings.backend === 'ffmpeg' ? cv.CAP_FFMPEG : cv.CAP_ANY);
  } catch (error) {
    fail('CAPTURE_ERROR', `could not open the stream (${error instanceof Error ? error.message : String(error)})`);
  }
  const reader = new FrameReader({
    cv,
    capture,
    settings,
    send,
    write: (parts) => {
      for (const part of parts) output.write(part);
    },
    fail,
    stopped: () => stopping,
    note: (line) => process.stderr.write(`${line}\n`),
  });
  // The session is up: say so now, for the first keyframe may be seconds away.
  reader.announce(capture.get(cv.CAP_PROP_FRAME_WIDTH), capture.get(cv.CAP_PROP_FRAME_HEIGHT));

  reader.grant(settings.initialCredit);
  channel.onCredit((frames) => reader.grant(frames));
  await reader.run();
}

main().catch((error: unknown) => {
  if (error instanceof CaptureStopped) return;
  process.stderr.write(`capture process: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
