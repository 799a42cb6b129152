/**
 * One contender of the benchmarks, in a process of its own so that its CPU time and memory
 * are its own, and a crash (the bare OpenCV loop's, with many cameras) is a result.
 *
 *   tsx bench/contender.ts '{"kind":"rtsp-rx","mode":"latency","url":"rtsp://...","cameras":1,"seconds":10}'
 *
 * kind: rtsp-rx (the OpenCV source) | ffmpeg (rtsp-rx with the ffmpeg source) | bare (an
 * in-process @u4/opencv4nodejs readAsync() loop and getData()) | bare-mat (the same loop,
 * the Mat only) | floor (ffmpeg decoding to raw frames on a pipe, with every low-delay flag).
 * pixelFormat and maxFps go to rtsp-rx's source.
 * mode: latency (every frame: delivery minus send) | startup (the same, from the moment the
 * camera is asked for, opening included) | freshness (one frame a second: its age) |
 * jpeg (every frame as a JPEG for a browser: rtsp-rx encodes in its capture process, bare in
 * the application) | jpeg-idle (rtsp-rx's JPEG camera with nobody asking for frames) |
 * watch (an rtspConnection watched through connection$ alone: nobody takes frames) | cost
 * (every frame counted, nothing else: no stamp read, no file-read probe, and the event loop
 * sampled every 20 ms rather than every 1, so that the harness's own cost stays out of the
 * figures).
 * Prints one JSON line with the samples and what the run cost.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { of } from 'rxjs';
import { rtspConnection, rtspFrames$, latestFrameReader, type CapturedFrame, type PixelFormat } from '../src/index.js';
import { ffmpegCaptureSource } from '../src/ffmpeg/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';
import { captureProcesses, readStamp } from '../src/testing/index.js';
import { cpuMilliseconds, pssMiB, rssMiB } from './proc.js';

interface Job {
  readonly kind: 'rtsp-rx' | 'ffmpeg' | 'bare' | 'bare-mat' | 'floor';
  readonly mode: 'latency' | 'cost' | 'startup' | 'freshness' | 'jpeg' | 'jpeg-idle' | 'watch';
  readonly pixelFormat?: PixelFormat;
  readonly maxFps?: number;
  readonly url: string;
  readonly cameras: number;
  readonly seconds: number;
  readonly width: number;
  readonly height: number;
  /** Milliseconds to let the cameras open before measuring. */
  readonly settle: number;
}

const job = JSON.parse(process.argv[2]!) as Job;
const samples: number[] = [];
const framesPerCamera: number[] = Array(job.cameras).fill(0);
/** Every frame's age is a sample in these modes. */
const everyFrame = job.mode === 'latency' || job.mode === 'startup' || job.mode === 'cost';
/** The harness measures only CPU and frames. */
const lean = job.mode === 'cost' || job.mode === 'watch';
/** Frames read before this moment are opening traffic, not measured, except at start-up. */
let measuring = job.mode === 'startup';
const helpers: Array<{ pid: number }> = [];

const onFrame = (camera: number, frame: Pick<CapturedFrame, 'data' | 'width' | 'height' | 'channels'> | undefined): void => {
  if (!measuring) return;
  framesPerCamera[camera]!++;
  const stamp = everyFrame && !lean && frame !== undefined ? readStamp(frame) : undefined;
  if (stamp !== undefined) samples.push(Date.now() - stamp.sentAt);
};
/**
 * Calls `take` about once a second. The jitter matters: at exactly 1000 ms, every sample would
 * fall at the same phase of a 25 fps camera's 40 ms frame interval, so one run's ages would
 * all be equally lucky or unlucky.
 */
function aboutEverySecond(take: () => unknown): () => void {
  let timer: NodeJS.Timeout;
  const next = () => (timer = setTimeout(() => (take(), next()), 1000 + Math.random() * 40));
  next();
  return () => clearTimeout(timer);
}

const ageOf = (frame: Pick<CapturedFrame, 'data' | 'width' | 'height' | 'channels'> | undefined): void => {
  const stamp = frame === undefined ? undefined : readStamp(frame);
  if (measuring && stamp !== undefined) samples.push(Date.now() - stamp.sentAt);
};

async function rtspRx(): Promise<() => void> {
  const options = {
    ...(job.mode === 'jpeg' || job.mode === 'jpeg-idle' ? { pixelFormat: 'jpeg' as const } : {}),
    ...(job.pixelFormat === undefined ? {} : { pixelFormat: job.pixelFormat }),
    ...(job.maxFps === undefined ? {} : { maxFps: job.maxFps }),
  };
  const source = job.kind === 'ffmpeg' ? ffmpegCaptureSource(options) : opencvCaptureSource(options);
  const demand = job.mode === 'jpeg-idle' ? { demand$: of(false) } : {};
  const stops: Array<() => void> = [];
  for (let camera = 0; camera < job.cameras; camera++) {
    if (job.mode === 'watch') {
      const subscription = rtspConnection(job.url, { source, openTimeout: 30_000 }).connection$.subscribe();
      stops.push(() => subscription.unsubscribe());
    } else if (job.mode !== 'freshness') {
      const subscription = rtspFrames$(job.url, { source, openTimeout: 30_000, ...demand }).subscribe((frame) => onFrame(camera, frame));
      stops.push(() => subscription.unsubscribe());
    } else {
      const reader = latestFrameReader(rtspConnection(job.url, { source, openTimeout: 30_000 }).events$);
      const stopTaking = aboutEverySecond(() => ageOf(reader.read()));
      stops.push(() => (stopTaking(), reader.close()));
    }
  }
  return () => stops.forEach((stop) => stop());
}

async function bare(): Promise<() => void> {
  process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';
  process.env['OPENCV_FFMPEG_CAPTURE_OPTIONS'] = 'rtsp_transport;tcp';
  const cv = (await import('@u4/opencv4nodejs')).default;
  let running = true;
  for (let camera = 0; camera < job.cameras; camera++) {
    const capture = new cv.VideoCapture(job.url, cv.CAP_FFMPEG);
    const asFrame = (mat: InstanceType<typeof cv.Mat>) => ({ data: mat.getData(), width: mat.cols, height: mat.rows, channels: mat.channels });
    if (everyFrame) {
      void (async () => {
        while (running) {
          const mat = await capture.readAsync();
          if (!mat.empty) onFrame(camera, job.kind === 'bare-mat' ? undefined : asFrame(mat));
        }
      })();
    } else if (job.mode === 'jpeg') {
      void (async () => {
        while (running) {
          const mat = await capture.readAsync();
          if (mat.empty) continue;
          const data = await cv.imencodeAsync('.jpg', mat, [cv.IMWRITE_JPEG_QUALITY, 80]);
          onFrame(camera, { data, width: mat.cols, height: mat.rows, channels: 3 });
        }
      })();
    } else {
      // What people write: take a frame when one is wanted.
      const stopTaking = aboutEverySecond(async () => {
        if (!running) return stopTaking();
        const mat = await capture.readAsync();
        if (!mat.empty) ageOf(asFrame(mat));
      });
    }
  }
  return () => (running = false);
}

async function floor(): Promise<() => void> {
  const size = job.width * job.height * 3;
  const stops: Array<() => void> = [];
  for (let camera = 0; camera < job.cameras; camera++) {
    const ffmpeg = spawn('ffmpeg', ['-loglevel', 'quiet', '-fflags', 'nobuffer', '-flags', 'low_delay', '-threads', '1', '-rtsp_transport', 'tcp', '-i', job.url, '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    helpers.push({ pid: ffmpeg.pid! });
    let pending: Buffer[] = [];
    let filled = 0;
    let newest: Buffer | undefined;
    ffmpeg.stdout.on('data', (chunk: Buffer) => {
      while (chunk.length > 0) {
        const take = Math.min(size - filled, chunk.length);
        pending.push(chunk.subarray(0, take));
        filled += take;
        chunk = chunk.subarray(take);
        if (filled === size) {
          newest = Buffer.concat(pending, size);
          pending = [];
          filled = 0;
          if (everyFrame) onFrame(camera, { data: newest, width: job.width, height: job.height, channels: 3 });
        }
      }
    });
    const stopTaking = job.mode === 'freshness' ? aboutEverySecond(() => newest && ageOf({ data: newest, width: job.width, height: job.height, channels: 3 })) : () => undefined;
    stops.push(() => (stopTaking(), ffmpeg.kill('SIGKILL')));
  }
  return () => stops.forEach((stop) => stop());
}

const startedAt = Date.now();
const stop = await { 'rtsp-rx': rtspRx, ffmpeg: rtspRx, bare, 'bare-mat': bare, floor }[job.kind]();
// Let every camera open and settle before measuring, unless the opening is what is measured.
if (!measuring) await new Promise((resolve) => setTimeout(resolve, job.settle + job.cameras * 400));

const probe = `/proc/${process.pid}/status`;
const fileReads: number[] = [];
const probing = setInterval(async () => {
  if (lean) return;
  const start = performance.now();
  await readFile(probe);
  fileReads.push(performance.now() - start);
}, 50);
const delay = monitorEventLoopDelay({ resolution: lean ? 20 : 1 });
const others = () => [...captureProcesses(), ...helpers];
const appCpuBefore = cpuMilliseconds(process.pid);
const cpuBefore = cpuMilliseconds(process.pid) + others().reduce((sum, { pid }) => sum + cpuMilliseconds(pid), 0);
delay.enable();
/** The window: from now, or at start-up from the moment the camera was asked for. */
const measuredFrom = measuring ? startedAt : Date.now();
measuring = true;
await new Promise((resolve) => setTimeout(resolve, job.seconds * 1000 - (Date.now() - measuredFrom)));
measuring = false;
delay.disable();
clearInterval(probing);
const cpuMs = cpuMilliseconds(process.pid) + others().reduce((sum, { pid }) => sum + cpuMilliseconds(pid), 0) - cpuBefore;
const appCpuMs = cpuMilliseconds(process.pid) - appCpuBefore;
const childrenPss = others().reduce((sum, { pid }) => sum + pssMiB(pid), 0);
stop();
const frames = framesPerCamera.reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    ...job,
    samples,
    frames,
    fpsPerCamera: frames / job.cameras / job.seconds,
    cpuMs,
    appCpuMs,
    cpuMsPerFrame: frames > 0 ? cpuMs / frames : null,
    rssMiB: rssMiB('self'),
    childrenPssMiB: childrenPss,
    eventLoopP99Ms: delay.percentile(99) / 1e6,
    fileReadP50Ms: [...fileReads].sort((a, b) => a - b)[Math.floor(fileReads.length / 2)] ?? null,
  }),
);
process.exit(0);
