/**
 * rtsp-rx benchmarks: freshness, start-up, latency, cost, faults, stall recovery, scale, soak
 * and a camera fleet on NATS, each against the bare alternatives in the same run, contenders alternating round by
 * round.
 *
 *   npm run bench                          # the full run, about 75 minutes on 2 cores
 *   npm run bench -- --quick               # a reduced run, under 4 minutes
 *   npm run bench -- --only startup,soak   # some benchmarks; the report keeps the others' last results
 *
 * Writes bench/results/*.json, bench/results/bench.svg and bench/RESULTS.md.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { rtspEvents$ } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';
import { captureProcesses, startTestCamera, type TestCamera, type TestCameraOptions } from '../src/testing/index.js';
import { fleetScale, fleetSection, type FleetResult } from './fleet.js';
import { cpuMilliseconds, openFileDescriptors, rssMiB } from './proc.js';
import { median, percentile, sleep } from './stats.js';
import { chart } from './svg.js';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = args.quick;
const here = fileURLToPath(new URL('.', import.meta.url));
// A quick run never overwrites the full run's results.
const results = `${here}results/${quick ? 'quick/' : ''}`;
const report = `${here}${quick ? 'RESULTS-quick.md' : 'RESULTS.md'}`;
mkdirSync(results, { recursive: true });

const plan = quick
  ? { rounds: 1, seconds: 3, startupSeconds: 20, settle: 2000, sizes: [[640, 480]] as const, scale: [1, 4], faultRepeats: 1, pauses: [10], pauseRounds: 1, soakMinutes: 1.5, fleet: [{ cameras: 200, workers: 4, capacity: 75, fps: 5, windowSeconds: 10 }] }
  : { rounds: 2, seconds: 10, startupSeconds: 20, settle: 3000, sizes: [[640, 480], [1920, 1080]] as const, scale: [1, 4, 8, 16], faultRepeats: 3, pauses: [10, 30], pauseRounds: 2, soakMinutes: 30, fleet: [
        { cameras: 1000, workers: 10, capacity: 150, fps: 5, windowSeconds: 30 },
        // The shape of 20 hosts with 50 cameras each, on one machine.
        { cameras: 1000, workers: 20, capacity: 75, fps: 5, windowSeconds: 30 },
      ] };

const BENCHMARKS = ['freshness', 'startup', 'latency', 'sources', 'jpeg', 'faults', 'stall', 'scale', 'soak', 'fleet'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
const selected = new Set<Benchmark>(args.only === undefined ? BENCHMARKS : (args.only.split(',').map((name) => name.trim()) as Benchmark[]));
for (const name of selected) if (!BENCHMARKS.includes(name)) throw new Error(`unknown benchmark ${name}; the benchmarks are ${BENCHMARKS.join(', ')}`);

type Kind = 'rtsp-rx' | 'bare' | 'floor' | keyof typeof VARIANTS;
type Mode = 'latency' | 'cost' | 'startup' | 'freshness' | 'jpeg' | 'jpeg-idle' | 'watch';

/** Contenders that are a configuration of another: the contender process runs `kind` with these. */
const VARIANTS = {
  ffmpeg: { kind: 'ffmpeg' },
  'rtsp-rx i420': { kind: 'rtsp-rx', pixelFormat: 'yuv420p' },
  'ffmpeg i420': { kind: 'ffmpeg', pixelFormat: 'yuv420p' },
  'ffmpeg gray': { kind: 'ffmpeg', pixelFormat: 'gray' },
  'rtsp-rx 1 fps': { kind: 'rtsp-rx', maxFps: 1 },
  'ffmpeg 1 fps': { kind: 'ffmpeg', maxFps: 1 },
  'bare-mat': { kind: 'bare-mat' },
} as const;
interface Run {
  kind: Kind;
  samples: number[];
  frames: number;
  fpsPerCamera: number;
  cpuMs: number;
  appCpuMs: number;
  cpuMsPerFrame: number | null;
  rssMiB: number;
  childrenPssMiB: number;
  eventLoopP99Ms: number;
  fileReadP50Ms: number | null;
  crashed?: string;
}

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const round = (value: number | null | undefined, digits = 1) => (value == null ? null : Number(value.toFixed(digits)));

/** Resolves true once `predicate` holds, checking every 5 ms, or false after `timeout` ms. */
async function until(predicate: () => boolean, timeout = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

async function withCamera<T>(options: TestCameraOptions, use: (camera: TestCamera) => Promise<T>): Promise<T> {
  const camera = await startTestCamera(options);
  try {
    return await use(camera);
  } finally {
    // A simulator that died on its own shows in the figures (no frames); the run goes on.
    await camera.close().catch((error: unknown) => log(`the camera simulator died during this benchmark: ${String(error).split('\n').slice(0, 3).join(' ')}`));
  }
}

async function contender(kind: Kind, mode: Mode, camera: TestCamera, cameras: number, width: number, height: number, seconds: number): Promise<Run> {
  const variant: { kind?: string } = kind in VARIANTS ? VARIANTS[kind as keyof typeof VARIANTS] : {};
  const job = { mode, url: camera.url, cameras, seconds, settle: plan.settle, width, height, ...variant, kind: variant.kind ?? kind };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `${here}contender.ts`, JSON.stringify(job)], {
      timeout: (seconds + 30 + cameras) * 1000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Run;
  } catch (error) {
    const reason = String((error as { stderr?: string }).stderr ?? error).split('\n').find((line) => /Fatal|Error|abort/i.test(line)) ?? 'exited';
    log(`${kind} ${mode} x${cameras} crashed: ${reason.slice(0, 160)}`);
    return { kind, samples: [], frames: 0, fpsPerCamera: 0, cpuMs: 0, appCpuMs: 0, cpuMsPerFrame: null, rssMiB: 0, childrenPssMiB: 0, eventLoopP99Ms: 0, fileReadP50Ms: null, crashed: reason.slice(0, 200) };
  }
}

/** Runs the contenders in turn, the order rotating each round, and pools each one's runs. */
async function alternate(kinds: Kind[], mode: Mode, camera: TestCamera, cameras: number, width: number, height: number, rounds = plan.rounds, seconds = plan.seconds) {
  const pooled = new Map<Kind, Run[]>(kinds.map((kind) => [kind, []]));
  for (let r = 0; r < rounds; r++) {
    for (const kind of [...kinds.slice(r % kinds.length), ...kinds.slice(0, r % kinds.length)]) {
      log(`${mode} ${width}x${height} x${cameras}: ${kind}, round ${r + 1}`);
      pooled.get(kind)!.push(await contender(kind, mode, camera, cameras, width, height, seconds));
    }
  }
  return Object.fromEntries(
    [...pooled].map(([kind, runs]) => {
      const samples = runs.flatMap((run) => run.samples);
      return [
        kind,
        {
          p50: round(median(samples)),
          p99: round(percentile(samples, 99)),
          samples: samples.length,
          fpsPerCamera: round(median(runs.map((run) => run.fpsPerCamera))),
          cpuMsPerFrame: round(median(runs.flatMap((run) => (run.cpuMsPerFrame === null ? [] : [run.cpuMsPerFrame]))), 2),
          cpuPercent: round(median(runs.map((run) => run.cpuMs / (seconds * 10)))),
          appCpuPercent: round(median(runs.map((run) => run.appCpuMs / (seconds * 10)))),
          rssMiB: round(median(runs.map((run) => run.rssMiB))),
          childrenPssMiB: round(median(runs.map((run) => run.childrenPssMiB))),
          eventLoopP99Ms: round(median(runs.map((run) => run.eventLoopP99Ms))),
          fileReadP50Ms: round(median(runs.flatMap((run) => (run.fileReadP50Ms === null ? [] : [run.fileReadP50Ms]))), 3),
          crashed: runs.find((run) => run.crashed)?.crashed,
          distribution: samples,
        },
      ];
    }),
  );
}

type Summary = Awaited<ReturnType<typeof alternate>>;
const save = (name: string, data: unknown) => writeFileSync(`${results}${name}.json`, `${JSON.stringify(data, null, 2)}\n`);
/** The last saved result of that name, if any. */
function load<T>(name: string): T | undefined {
  const file = `${results}${name}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}
/** A benchmark's result: run now if selected, else the last one saved. */
async function result<T>(name: Benchmark, run: () => Promise<T>): Promise<T | undefined> {
  if (selected.has(name)) {
    log(name);
    const data = await run();
    save(name, data);
    return data;
  }
  return load<T>(name);
}

async function freshness() {
  return withCamera({ width: 640, height: 480, fps: 25 }, (camera) => alternate(['rtsp-rx', 'bare', 'floor'], 'freshness', camera, 1, 640, 480));
}

/** rtsp-rx on each capture source, and the ffmpeg floor. */
const STARTUP_CONTENDERS = ['rtsp-rx', 'ffmpeg', 'floor'] as const;
const STARTUP_NAMES: Record<(typeof STARTUP_CONTENDERS)[number], string> = { 'rtsp-rx': 'rtsp-rx, OpenCV source', ffmpeg: 'rtsp-rx, ffmpeg source', floor: 'floor (ffmpeg low-delay pipe)' };

/** The age of every frame in the first seconds, from the moment the camera is asked for. */
async function startup() {
  const bySize: Record<string, Summary> = {};
  for (const [width, height] of plan.sizes) {
    bySize[`${width}x${height}`] = await withCamera({ width, height, fps: 25 }, (camera) =>
      alternate([...STARTUP_CONTENDERS], 'startup', camera, 1, width, height, Math.max(plan.rounds, 3), plan.startupSeconds),
    );
  }
  return bySize;
}

async function latency() {
  const bySize: Record<string, Summary> = {};
  for (const [width, height] of plan.sizes) {
    bySize[`${width}x${height}`] = await withCamera({ width, height, fps: 25 }, (camera) => alternate(['rtsp-rx', 'bare', 'floor'], 'latency', camera, 1, width, height));
  }
  return bySize;
}

/** CPU time of `ffmpeg -i URL -f null -`, decoding alone, per frame. */
async function ffmpegNull(width: number, height: number) {
  return withCamera({ width, height, fps: 25 }, async (camera) => {
    const perFrame: number[] = [];
    for (let r = 0; r < plan.rounds; r++) {
      const ffmpeg = execFile('ffmpeg', ['-loglevel', 'quiet', '-rtsp_transport', 'tcp', '-i', camera.url, '-f', 'null', '-', '-progress', 'pipe:1']);
      let frames = 0;
      ffmpeg.stdout!.on('data', (text: string) => (frames = Number(/frame=(\d+)(?![\s\S]*frame=)/.exec(text)?.[1] ?? frames)));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const [cpu0, frames0] = [cpuMilliseconds(ffmpeg.pid!), frames];
      await new Promise((resolve) => setTimeout(resolve, plan.seconds * 1000));
      perFrame.push((cpuMilliseconds(ffmpeg.pid!) - cpu0) / Math.max(1, frames - frames0));
      ffmpeg.kill('SIGKILL');
    }
    return round(median(perFrame), 2);
  });
}

/** JPEG for a browser, at the largest size: encoded in rtsp-rx's capture process, or in the application; and nobody watching. */
async function jpeg() {
  const [width, height] = plan.sizes.at(-1)!;
  // A test card, not the stamp's black: an encoder's cost depends on the picture.
  return withCamera({ width, height, fps: 25, pattern: 'smpte' }, async (camera) => ({
    size: `${width}x${height}`,
    contenders: await alternate(['rtsp-rx', 'bare'], 'jpeg', camera, 1, width, height),
    idle: (await alternate(['rtsp-rx'], 'jpeg-idle', camera, 1, width, height))['rtsp-rx']!,
  }));
}

async function faults() {
  const stallTimeout = 2000;
  const reconnectDelay = 500;
  const stall: number[] = [];
  const recovery: number[] = [];
  await withCamera({ width: 640, height: 480, fps: 25 }, async (camera) => {
    for (let r = 0; r < plan.faultRepeats; r++) {
      let lastFrame = 0;
      let reconnectingAt = 0;
      const options = { source: opencvCaptureSource(), stallTimeout, reconnectDelay, maxReconnectDelay: reconnectDelay };
      const subscription = rtspEvents$(camera.url, options).subscribe((event) => {
        if (event.type === 'frame') lastFrame = Date.now();
        else if (event.state.status === 'reconnecting') reconnectingAt = Date.now();
      });
      await until(() => lastFrame > 0);
      const pausedAt = Date.now();
      camera.pause();
      await until(() => reconnectingAt > pausedAt);
      stall.push(reconnectingAt - pausedAt);
      const resumedAt = Date.now();
      camera.resume();
      await until(() => lastFrame > resumedAt);
      await camera.kill();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await camera.restart();
      const backAt = Date.now();
      await until(() => lastFrame > backAt);
      recovery.push(lastFrame - backAt);
      subscription.unsubscribe();
    }
  });
  return { stallTimeout, reconnectDelay, stallDetectedMs: round(median(stall), 0), serverBackToFirstFrameMs: round(median(recovery), 0), runs: { stall, recovery } };
}

/**
 * What each capture source costs at the largest size, against the bare loops: every frame in
 * BGR, I420 or gray; a consumer at 1 fps; a connection watched through connection$ alone; and
 * 16 cameras at 640x480 on the ffmpeg source.
 */
async function sources() {
  const [width, height] = plan.sizes.at(-1)!;
  const everyFrame = await withCamera({ width, height, fps: 25 }, async (camera) => ({
    frames: await alternate(['rtsp-rx', 'ffmpeg', 'rtsp-rx i420', 'ffmpeg i420', 'ffmpeg gray', 'bare', 'bare-mat', 'floor', 'rtsp-rx 1 fps', 'ffmpeg 1 fps'], 'cost', camera, 1, width, height),
    watching: await alternate(['rtsp-rx', 'ffmpeg'], 'watch', camera, 1, width, height),
    latency: await alternate(['rtsp-rx', 'ffmpeg', 'floor'], 'latency', camera, 1, width, height),
  }));
  const decodingOnly = await ffmpegNull(width, height);
  const many = plan.scale.at(-1)!;
  const sixteen = await withCamera({ width: 640, height: 480, fps: 25, shared: true }, (camera) => alternate(['ffmpeg'], 'latency', camera, many, 640, 480, 1));
  return { size: `${width}x${height}`, ...everyFrame, decodingOnly, scale: { cameras: many, ...sixteen['ffmpeg']! } };
}

async function scale() {
  const rows: Array<{ cameras: number } & Partial<Record<'rtsp-rx' | 'bare', Summary[string]>>> = [];
  await withCamera({ width: 640, height: 480, fps: 25, shared: true }, async (camera) => {
    // One round each: 16 cameras take long to open, and the soak needs its 10 minutes.
    for (const cameras of plan.scale) {
      const runs = await alternate(['rtsp-rx', 'bare'], 'latency', camera, cameras, 640, 480, 1);
      rows.push({ cameras, 'rtsp-rx': runs['rtsp-rx'], bare: runs['bare'] });
    }
  });
  return rows;
}

type StallContender = 'rtsp-rx' | 'seed';

/**
 * A camera that freezes for `pauseSeconds` and resumes: when the contender noticed, and how
 * long after the camera resumed its first new frame came. rtsp-rx runs with its defaults.
 */
async function pausedOnce(kind: StallContender, pauseSeconds: number) {
  return withCamera({ width: 640, height: 480, fps: 25 }, async (camera) => {
    let lastFrame = 0;
    let noticedAt: number | undefined;
    let stop: () => void;
    if (kind === 'rtsp-rx') {
      const subscription = rtspEvents$(camera.url, { source: opencvCaptureSource() }).subscribe((event) => {
        if (event.type === 'frame') lastFrame = Date.now();
        else if (event.state.status === 'reconnecting') noticedAt ??= Date.now();
      });
      stop = () => subscription.unsubscribe();
    } else {
      const seed = spawn('/usr/bin/python3', [`${here}seed.py`, camera.url], { stdio: ['ignore', 'pipe', 'ignore'] });
      createInterface({ input: seed.stdout }).on('line', (line) => (lastFrame = Number(line)));
      stop = () => seed.kill('SIGKILL');
    }
    try {
      await until(() => lastFrame > 0, 30_000);
      await sleep(2000);
      const pausedAt = Date.now();
      camera.pause();
      await sleep(pauseSeconds * 1000);
      const resumedAt = Date.now();
      camera.resume();
      const resumed = await until(() => lastFrame > resumedAt, 60_000);
      return { noticedMs: noticedAt === undefined ? null : noticedAt - pausedAt, firstFrameMs: resumed ? lastFrame - resumedAt : null };
    } finally {
      stop();
    }
  });
}

async function stall() {
  const runs: Array<{ pauseSeconds: number; kind: StallContender; noticedMs: number | null; firstFrameMs: number | null }> = [];
  for (const pauseSeconds of plan.pauses) {
    for (let r = 0; r < plan.pauseRounds; r++) {
      for (const kind of (r % 2 === 0 ? ['rtsp-rx', 'seed'] : ['seed', 'rtsp-rx']) as StallContender[]) {
        log(`stall ${pauseSeconds} s: ${kind}, round ${r + 1}`);
        runs.push({ pauseSeconds, kind, ...(await pausedOnce(kind, pauseSeconds)) });
      }
    }
  }
  const summary = plan.pauses.flatMap((pauseSeconds) =>
    (['rtsp-rx', 'seed'] as const).map((kind) => {
      const mine = runs.filter((run) => run.pauseSeconds === pauseSeconds && run.kind === kind);
      const values = (key: 'noticedMs' | 'firstFrameMs') => mine.flatMap((run) => (run[key] === null ? [] : [run[key]]));
      return { pauseSeconds, kind, noticedMs: round(median(values('noticedMs')), 0), firstFrameMs: round(median(values('firstFrameMs')), 0), neverResumed: mine.filter((run) => run.firstFrameMs === null).length };
    }),
  );
  return { summary, runs };
}

/** The capture processes connected to the camera on `port`: their sockets, found in /proc/net/tcp. */
function capturesOf(port: number): number[] {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set(
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
      readFileSync(table, 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/)).filter((fields) => fields[2]?.endsWith(portHex)).map((fields) => fields[9]!),
    ),
  );
  return captureProcesses()
    .filter(({ pid }) => readdirSync(`/proc/${pid}/fd`).some((fd) => inodes.has(/^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`))?.[1] ?? '')))
    .map(({ pid }) => pid);
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

const SOAK_CAMERAS = 4;
const SOAK_FPS = 25;
const SOAK_WINDOW_MS = 10_000;
const FAULT_EVERY_MS = 30_000;
/** A window is a fault window when it overlaps a fault, or the time after it a reconnect may take. */
const RECOVERY_ALLOWANCE_MS = 5_000;

/**
 * Cameras streaming for `plan.soakMinutes`, one of them faulted every 30 s in turn, each kind
 * of fault on each camera in time. Counts the frames every camera delivered in every 10 s
 * window, and the application's RSS, descriptors and capture processes.
 */
async function soak() {
  const cameras = await Promise.all(Array.from({ length: SOAK_CAMERAS }, () => startTestCamera({ width: 320, height: 240, fps: SOAK_FPS })));
  try {
    // Counted once the simulators run: their own pipes are not the soak's to give back.
    const descriptorsBefore = openFileDescriptors();
    const source = opencvCaptureSource();
    const started = Date.now();
    const windowCount = Math.ceil((plan.soakMinutes * 60_000) / SOAK_WINDOW_MS);
    const delivered = cameras.map(() => Array<number>(windowCount).fill(0));
    const decoded = cameras.map(() => Array<number>(windowCount).fill(0));
    const windowOf = (at: number) => Math.floor((at - started) / SOAK_WINDOW_MS);
    const subscriptions = cameras.map((camera, index) =>
      rtspEvents$(camera.url, { source, reconnectDelay: 300, maxReconnectDelay: 1000, stallTimeout: 2000 }).subscribe((event) => {
        const window = windowOf(Date.now());
        if (event.type !== 'frame' || window >= windowCount) return;
        delivered[index]![window]!++;
        decoded[index]![window]! += 1 + (event.frame.dropped ?? 0);
      }),
    );
    const faultKinds: Record<string, (camera: TestCamera) => Promise<void>> = {
      'pause 3 s': async (camera) => (camera.pause(), await sleep(3000), camera.resume()),
      restart: async (camera) => camera.restart(),
      'capture process killed': async (camera) => capturesOf(camera.port).forEach((pid) => process.kill(pid, 'SIGKILL')),
      'server killed, back in 2 s': async (camera) => (await camera.kill(), await sleep(2000), await camera.restart()),
    };
    const kinds = Object.keys(faultKinds);
    const faults: Array<{ camera: number; kind: string; startMs: number; endMs: number }> = [];
    const samples: Array<{ minute: number; rssMiB: number; descriptors: number; captures: number }> = [];
    let nextFault = started + FAULT_EVERY_MS;
    let nextSample = started + SOAK_WINDOW_MS;
    while (Date.now() - started < windowCount * SOAK_WINDOW_MS) {
      await sleep(Math.max(0, Math.min(nextFault, nextSample) - Date.now()));
      if (Date.now() >= nextFault) {
        const n = faults.length;
        const camera = n % SOAK_CAMERAS;
        const kind = kinds[(n + Math.floor(n / SOAK_CAMERAS)) % kinds.length]!;
        const startMs = Date.now() - started;
        await faultKinds[kind]!(cameras[camera]!);
        faults.push({ camera, kind, startMs, endMs: Date.now() - started });
        nextFault += FAULT_EVERY_MS;
      }
      if (Date.now() >= nextSample) {
        samples.push({ minute: round((Date.now() - started) / 60_000, 2)!, rssMiB: round(rssMiB('self'))!, descriptors: openFileDescriptors(), captures: captureProcesses().length });
        nextSample += SOAK_WINDOW_MS;
      }
    }
    for (const subscription of subscriptions) subscription.unsubscribe();
    await sleep(1000);

    const sent = (SOAK_FPS * SOAK_WINDOW_MS) / 1000;
    const windows = cameras.flatMap((_, camera) =>
      delivered[camera]!.map((count, window) => {
        const [from, to] = [window * SOAK_WINDOW_MS, (window + 1) * SOAK_WINDOW_MS];
        const faulted = faults.some((fault) => fault.camera === camera && fault.startMs < to && fault.endMs + RECOVERY_ALLOWANCE_MS > from);
        return { camera, window, delivered: count, decoded: decoded[camera]![window]!, faulted };
      }),
    );
    const clean = windows.filter((window) => !window.faulted);
    const shares = clean.map((window) => window.delivered / sent);
    const half = samples.slice(Math.floor(samples.length / 2));
    const slope = half.length > 1 ? (half.at(-1)!.rssMiB - half[0]!.rssMiB) / (half.at(-1)!.minute - half[0]!.minute) : null;
    const perCamera = cameras.map((_, camera) => windows.filter((window) => window.camera === camera));
    return {
      minutes: plan.soakMinutes,
      cameras: SOAK_CAMERAS,
      size: '320x240',
      fps: SOAK_FPS,
      windowSeconds: SOAK_WINDOW_MS / 1000,
      faults: faults.length,
      windows: windows.length,
      faultWindows: windows.length - clean.length,
      cleanWindows: clean.length,
      emptyCleanWindows: clean.filter((window) => window.delivered === 0).length,
      cleanDeliveryMinPercent: round(Math.min(...shares) * 100),
      cleanDeliveryMedianPercent: round(median(shares)! * 100),
      cleanWindowsBelow98Percent: shares.filter((share) => share < 0.98).length,
      emptyFaultWindows: windows.filter((window) => window.faulted && window.delivered === 0).length,
      framesPerCamera: perCamera.map((mine) => mine.reduce((sum, window) => sum + window.delivered, 0)),
      rssFirstMiB: samples[0]?.rssMiB,
      rssLastMiB: samples.at(-1)?.rssMiB,
      rssSlopeMiBPerMinute: round(slope, 2),
      descriptorsFirst: samples[0]?.descriptors,
      descriptorsLast: samples.at(-1)?.descriptors,
      descriptorGrowth: openFileDescriptors() - descriptorsBefore,
      captureProcessesMax: Math.max(...samples.map((sample) => sample.captures)),
      captureProcessesLeft: captureProcesses().length,
      faultLog: faults,
      perWindow: perCamera.map((mine) => mine.map((window) => (window.faulted ? `(${window.delivered})` : window.delivered)).join(' ')),
      samples,
    };
  } finally {
    await Promise.all(cameras.map((camera) => camera.close()));
  }
}

const machine = {
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: round(totalmem() / 2 ** 30, 0),
  node: process.version,
  opencv: execFileSync('pkg-config', ['--modversion', 'opencv4'], { encoding: 'utf8' }).trim(),
  ffmpeg: execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/ Copyright.*/, ''),
  gstreamer: execFileSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('Gst', '1.0'); from gi.repository import Gst; Gst.init(None); print(Gst.version_string())"], { encoding: 'utf8' }).trim(),
  date: new Date().toISOString(),
  quick,
};

const started = Date.now();
log(`${quick ? 'quick' : 'full'} run: ${[...selected].join(', ')}`);
const fresh = await result('freshness', freshness);
const start = await result('startup', startup);
const [costWidth, costHeight] = plan.sizes.at(-1)!;
const lat = await result('latency', async () => {
  const bySize = await latency();
  const costSize = bySize[`${costWidth}x${costHeight}`]!;
  save('cost', { size: `${costWidth}x${costHeight}`, rtspRx: costSize['rtsp-rx']!.cpuMsPerFrame, bare: costSize['bare']!.cpuMsPerFrame, ffmpegNull: await ffmpegNull(costWidth, costHeight) });
  return bySize;
});
const cost = load<{ size: string; rtspRx: number | null; bare: number | null; ffmpegNull: number | null }>('cost');
const sourceRuns = await result('sources', sources);
const jpegRuns = await result('jpeg', jpeg);
const fault = await result('faults', faults);
const stalls = await result('stall', stall);
const scaled = await result('scale', scale);
const soaked = await result('soak', soak);
const fleet: FleetResult[] | undefined = await result('fleet', async () => {
  const runs = [];
  for (const configuration of plan.fleet) runs.push(await fleetScale(configuration, log));
  return runs;
});
save('machine', machine);

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? null : round(a / b, 2));
const cell = (value: unknown) => (value == null ? '–' : String(value));
const verdictOf = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'missed');
const atMost = (value: number | null | undefined, limit: number) => (value == null ? null : value <= limit);
const section = (present: unknown, lines: () => string[]): string[] => (present === undefined ? [] : lines());
const lines = [
  '# rtsp-rx benchmark results',
  '',
  `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\`; this run (${machine.date.slice(0, 10)}) measured ${[...selected].join(', ')}, the other sections keep their last results. Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, OpenCV ${machine.opencv}, ${machine.ffmpeg}, ${machine.gstreamer}.`,
  `Every table compares contenders measured in the same run, alternating; figures are medians of ${plan.rounds} run(s) of ${plan.seconds} s unless a section says otherwise (scale: one run each). Times in ms.`,
  "The camera simulator itself adds about 200 ms between stamping a frame and sending it (GStreamer's RTSP server pipeline); every contender, the floor included, carries it.",
  '',
  '- **rtsp-rx**: `rtspFrames$` with `opencvCaptureSource()` (a capture process per camera).',
  '- **bare**: `@u4/opencv4nodejs` `VideoCapture` with a `readAsync()` loop in the application.',
  '- **floor**: `ffmpeg -fflags nobuffer -flags low_delay -threads 1 -rtsp_transport tcp -i URL` to raw frames on a pipe.',
  "- **seed**: Python rtsp-stream's algorithm with Debian's OpenCV (`bench/seed.py`): a reader thread, reconnect with back-off.",
  '',
  ...section(fresh, () => [
    '## 1. Freshness: one frame a second from a 25 fps camera (age of the frame taken)',
    '',
    '| contender | p50 | p99 | vs floor p99 |',
    '|---|---|---|---|',
    ...(['rtsp-rx', 'bare', 'floor'] as const).map((kind) => `| ${kind} | ${cell(fresh![kind]?.p50)} | ${cell(fresh![kind]?.p99)} | ${cell(round((fresh![kind]?.p99 ?? NaN) - (fresh!['floor']?.p99 ?? NaN)))} |`),
    '',
    `Goal: rtsp-rx p99 within 30 ms of the floor's p99. Ratio bare/rtsp-rx p50: ${cell(ratio(fresh!['bare']?.p50, fresh!['rtsp-rx']?.p50))}.`,
    '',
  ]),
  ...section(start, () => [
    `## 2. Start-up: the age of every frame in the first ${plan.startupSeconds} s, from the moment the camera is asked for`,
    '',
    `Medians over ${Math.max(plan.rounds, 3)} alternating runs per contender; the first frames after opening are the ones a reader that catches up would hand out late.`,
    '',
    '| size | contender | p50 | p99 | max | vs floor p99 |',
    '|---|---|---|---|---|---|',
    ...Object.entries(start!).flatMap(([size, runs]) =>
      STARTUP_CONTENDERS.map((kind) => `| ${size} | ${STARTUP_NAMES[kind]} | ${cell(runs[kind]?.p50)} | ${cell(runs[kind]?.p99)} | ${cell(round(Math.max(...(runs[kind]?.distribution ?? [NaN]))))} | ${cell(round((runs[kind]?.p99 ?? NaN) - (runs['floor']?.p99 ?? NaN)))} |`),
    ),
    '',
    `Goal: rtsp-rx p99 within 15 ms of the floor's p99 at each size: ${Object.entries(start!)
      .flatMap(([size, runs]) => (['rtsp-rx', 'ffmpeg'] as const).map((kind) => `${STARTUP_NAMES[kind]} at ${size} ${verdictOf(atMost(runs[kind]?.p99, (runs['floor']?.p99 ?? NaN) + 15))}`))
      .join('; ')}. A miss of the OpenCV source at 1920x1080 is no stale first frame: its capture process converts every picture and moves 6 MB of it to the application, as at full rate (section 3).`,
    '',
  ]),
  ...section(lat, () => [
    '## 3. Latency at full rate (delivery minus send)',
    '',
    '| size | contender | p50 | p99 | fps | vs floor p50 |',
    '|---|---|---|---|---|---|',
    ...Object.entries(lat!).flatMap(([size, runs]) =>
      (['rtsp-rx', 'bare', 'floor'] as const).map((kind) => `| ${size} | ${kind} | ${cell(runs[kind]?.p50)} | ${cell(runs[kind]?.p99)} | ${cell(runs[kind]?.fpsPerCamera)} | ${cell(round((runs[kind]?.p50 ?? NaN) - (runs['floor']?.p50 ?? NaN)))} |`),
    ),
    '',
    "Goal: rtsp-rx p50 within 10 ms of the floor's p50.",
    '',
  ]),
  ...section(cost, () => [
    `## 4. Cost at ${cost!.size}: CPU time per delivered frame`,
    '',
    '| contender | CPU ms / frame | vs bare |',
    '|---|---|---|',
    `| rtsp-rx (application + capture process) | ${cell(cost!.rtspRx)} | ${cell(ratio(cost!.rtspRx, cost!.bare))} |`,
    `| bare readAsync() loop | ${cell(cost!.bare)} | 1 |`,
    `| ffmpeg -f null (decoding only) | ${cell(cost!.ffmpegNull)} | ${cell(ratio(cost!.ffmpegNull, cost!.bare))} |`,
    '',
    'Goal: rtsp-rx at most 1.15x the bare loop.',
    '',
  ]),
  ...section(sourceRuns, () => sourcesSection(sourceRuns!)),
  ...section(jpegRuns, () => [
    `## 5. JPEG for a browser at ${jpegRuns!.size}, 25 fps (SMPTE test card, quality 80)`,
    '',
    '| contender | fps | CPU ms / frame (all processes) | application CPU % | event-loop p99 |',
    '|---|---|---|---|---|',
    `| rtsp-rx, \`pixelFormat: 'jpeg'\` (encoded in the capture process) | ${cell(jpegRuns!.contenders['rtsp-rx']?.fpsPerCamera)} | ${cell(jpegRuns!.contenders['rtsp-rx']?.cpuMsPerFrame)} | ${cell(jpegRuns!.contenders['rtsp-rx']?.appCpuPercent)} | ${cell(jpegRuns!.contenders['rtsp-rx']?.eventLoopP99Ms)} |`,
    `| bare readAsync() loop + \`imencodeAsync\` in the application | ${cell(jpegRuns!.contenders['bare']?.fpsPerCamera)} | ${cell(jpegRuns!.contenders['bare']?.cpuMsPerFrame)} | ${cell(jpegRuns!.contenders['bare']?.appCpuPercent)} | ${cell(jpegRuns!.contenders['bare']?.eventLoopP99Ms)} |`,
    `| rtsp-rx, nobody asking (\`demand$\` false: decoding only) | ${cell(jpegRuns!.idle.fpsPerCamera)} | – | ${cell(jpegRuns!.idle.appCpuPercent)} | ${cell(jpegRuns!.idle.eventLoopP99Ms)} |`,
    '',
    `Application CPU, rtsp-rx vs bare: ${cell(ratio(jpegRuns!.contenders['rtsp-rx']?.appCpuPercent, jpegRuns!.contenders['bare']?.appCpuPercent))}. Nobody asking, all processes: ${cell(jpegRuns!.idle.cpuPercent)} % of a core, against ${cell(jpegRuns!.contenders['rtsp-rx']?.cpuPercent)} % while frames are taken.`,
    '',
  ]),
  ...section(fault, () => [
    '## 6. Faults',
    '',
    `| what | setting | measured (median of ${plan.faultRepeats}) |`,
    '|---|---|---|',
    `| stall detected (SIGSTOP to reconnecting) | stallTimeout ${fault!.stallTimeout} | ${cell(fault!.stallDetectedMs)} |`,
    `| server back to first frame | reconnectDelay ${fault!.reconnectDelay} | ${cell(fault!.serverBackToFirstFrameMs)} |`,
    '',
  ]),
  ...section(stalls, () => [
    '## 7. A camera that freezes and resumes (SIGSTOP, then SIGCONT), default settings',
    '',
    `Medians of ${plan.pauseRounds} alternating run(s) per contender and pause.`,
    '',
    '| pause | contender | stall noticed after | first frame after the camera resumes | never resumed |',
    '|---|---|---|---|---|',
    ...stalls!.summary.map((row) => `| ${row.pauseSeconds} s | ${row.kind} | ${row.kind === 'seed' ? 'never reports it' : cell(row.noticedMs)} | ${cell(row.firstFrameMs)} | ${row.neverResumed} |`),
    '',
    'Goal: rtsp-rx reports the stall at once (stallTimeout, 5 s) and delivers its first new frame at most 200 ms after a 10 s pause and 2.5 s after a 30 s one.',
    '',
  ]),
  ...section(scaled, () => [
    '## 8. Scale: 640x480 at 25 fps, one shared encoder',
    '',
    '| cameras | contender | fps per camera | CPU % | app RSS MiB | capture PSS MiB | event-loop p99 | file read p50 | latency p50 |',
    '|---|---|---|---|---|---|---|---|---|',
    ...scaled!.flatMap((row) =>
      (['rtsp-rx', 'bare'] as const).map((kind) => {
        const r = row[kind]!;
        return r.crashed
          ? `| ${row.cameras} | ${kind} | crashed: ${r.crashed.replace(/\|/g, '/')} | | | | | | |`
          : `| ${row.cameras} | ${kind} | ${cell(r.fpsPerCamera)} | ${cell(r.cpuPercent)} | ${cell(r.rssMiB)} | ${cell(r.childrenPssMiB)} | ${cell(r.eventLoopP99Ms)} | ${cell(r.fileReadP50Ms)} | ${cell(r.p50)} |`;
      }),
    ),
    '',
  ]),
  ...section(soaked, () => [
    `## 9. Soak: ${soaked!.cameras} cameras (${soaked!.size} at ${soaked!.fps} fps, one simulator each), ${soaked!.minutes} min, a fault every 30 s (${soaked!.faults} faults)`,
    '',
    `Frames delivered per camera in every ${soaked!.windowSeconds} s window; the camera sends ${(soaked!.fps ?? 0) * (soaked!.windowSeconds ?? 0)}. A fault window is one that overlaps a fault on that camera or the ${RECOVERY_ALLOWANCE_MS / 1000} s after it. Faults in turn, each kind on each camera: pause 3 s, restart, capture process killed, server killed and back in 2 s.`,
    '',
    '| what | measured | goal |',
    '|---|---|---|',
    `| windows outside faults | ${soaked!.cleanWindows} of ${soaked!.windows} | |`,
    `| empty windows outside faults | ${soaked!.emptyCleanWindows} | 0 |`,
    `| delivery outside faults, lowest window / median | ${cell(soaked!.cleanDeliveryMinPercent)} % / ${cell(soaked!.cleanDeliveryMedianPercent)} % | at least 98 % |`,
    `| windows outside faults below 98 % | ${soaked!.cleanWindowsBelow98Percent} | 0 |`,
    `| empty fault windows | ${soaked!.emptyFaultWindows} of ${soaked!.faultWindows} | |`,
    `| frames per camera | ${soaked!.framesPerCamera.join(', ')} | |`,
    `| application RSS, first → last sample (slope over the second half) | ${cell(soaked!.rssFirstMiB)} → ${cell(soaked!.rssLastMiB)} MiB (${cell(soaked!.rssSlopeMiBPerMinute)} MiB/min) | flat |`,
    `| file descriptors, first → last sample (after release) | ${cell(soaked!.descriptorsFirst)} → ${cell(soaked!.descriptorsLast)} (${soaked!.descriptorGrowth >= 0 ? '+' : ''}${soaked!.descriptorGrowth}) | flat |`,
    `| capture processes at most / left | ${soaked!.captureProcessesMax} / ${soaked!.captureProcessesLeft} | ${soaked!.cameras * 2} / 0 |`,
    '',
    'Frames per window, fault windows in brackets:',
    '',
    ...soaked!.perWindow.map((row, camera) => `- camera ${camera + 1}: ${row}`),
    '',
  ]),
  ...section(fleet, () => fleetSection(fleet!)),
  `![latency distribution and RSS over time](results/${quick ? 'quick/' : ''}bench.svg)`,
  '',
  `Run time: ${round((Date.now() - started) / 60_000)} min.`,
  '',
];
writeFileSync(report, lines.join('\n'));
const [firstWidth, firstHeight] = plan.sizes[0];
const latencyAtFirstSize = lat?.[`${firstWidth}x${firstHeight}`];
if (latencyAtFirstSize !== undefined && soaked !== undefined) {
  writeFileSync(
    `${results}bench.svg`,
    chart(
      `Latency at ${firstWidth}x${firstHeight}, full rate`,
      Object.fromEntries(Object.entries(latencyAtFirstSize).map(([kind, run]) => [kind, run.distribution])),
      soaked.samples.map(({ minute, rssMiB }) => [minute, rssMiB] as const),
    ),
  );
}
log(`done in ${round((Date.now() - started) / 60_000)} min: ${report}`);
process.exit(0);

/** Section 4b: the sources side by side, and each goal of the capture sources met or missed. */
function sourcesSection(runs: NonNullable<typeof sourceRuns>): string[] {
  const row = (name: string) => runs.frames[name as Kind];
  const latency = (name: string) => runs.latency[name as Kind]?.p50;
  const perFrame = (name: string) => row(name)?.cpuMsPerFrame;
  const bare = perFrame('bare');
  const decodingPercent = runs.decodingOnly == null ? null : round(runs.decodingOnly * 2.5);
  const goals: Array<[string, string, boolean | null, string?]> = [
    ['ffmpeg source, BGR, CPU per frame ≤ 0.7x the bare getData() loop', `${cell(ratio(perFrame('ffmpeg'), bare))}x`, atMost(ratio(perFrame('ffmpeg'), bare), 0.7), 'the plain ffmpeg pipe is 0.65x; the source adds its filter chain (two showinfo lines a picture, the gate, setpts) and log parsing, and a fresh buffer per delivered frame, most of it kernel time (the JavaScript thread is 96 % idle)'],
    ['OpenCV source, BGR, CPU per frame ≤ 1.1x the bare getData() loop', `${cell(ratio(perFrame('rtsp-rx'), bare))}x`, atMost(ratio(perFrame('rtsp-rx'), bare), 1.1), '@u4/opencv4nodejs has no grab()/retrieve(): every picture is converted to BGR in read(), sent or not, then copied by getData() and through the pipe'],
    ['I420 or gray to the application ≤ 0.35x the bare getData() loop', `ffmpeg I420 ${cell(ratio(perFrame('ffmpeg i420'), bare))}x, gray ${cell(ratio(perFrame('ffmpeg gray'), bare))}x; OpenCV I420 ${cell(ratio(perFrame('rtsp-rx i420'), bare))}x`, atMost(ratio(Math.min(perFrame('ffmpeg i420') ?? Infinity, perFrame('ffmpeg gray') ?? Infinity), bare), 0.35), 'decoding alone is 0.15x; writing 3 MB a picture through a socket, reading it into a fresh buffer and the filter chain cost the rest'],
    ['a 1 fps consumer ≤ 0.5x the CPU of a 25 fps one, ffmpeg source', `${cell(ratio(row('ffmpeg 1 fps')?.cpuPercent, row('ffmpeg')?.cpuPercent))}x`, atMost(ratio(row('ffmpeg 1 fps')?.cpuPercent, row('ffmpeg')?.cpuPercent), 0.5)],
    ['a 1 fps consumer ≤ 0.5x the CPU of a 25 fps one, OpenCV source', `${cell(ratio(row('rtsp-rx 1 fps')?.cpuPercent, row('rtsp-rx')?.cpuPercent))}x`, atMost(ratio(row('rtsp-rx 1 fps')?.cpuPercent, row('rtsp-rx')?.cpuPercent), 0.5)],
    ['nobody taking frames (connection$ only) within 10 % of decoding alone, ffmpeg source', `${cell(runs.watching['ffmpeg']?.cpuPercent)} % of a core against ${cell(decodingPercent)} %`, decodingPercent === null ? null : atMost(runs.watching['ffmpeg']?.cpuPercent, decodingPercent * 1.1), 'ffmpeg logs two showinfo lines a picture and the application reads them: about 3 % of a core over decoding alone'],
    ['nobody taking frames (connection$ only) within 10 % of decoding alone, OpenCV source', `${cell(runs.watching['rtsp-rx']?.cpuPercent)} % of a core against ${cell(decodingPercent)} %`, decodingPercent === null ? null : atMost(runs.watching['rtsp-rx']?.cpuPercent, decodingPercent * 1.1), 'OpenCV converts every picture it reads (no grab() in the addon), wanted or not'],
    [`capture process PSS at ${runs.size}: ffmpeg ≤ 60 MiB`, `${cell(row('ffmpeg')?.childrenPssMiB)} MiB`, atMost(row('ffmpeg')?.childrenPssMiB, 60), "one decoder thread brought it from 93-105 to 81 MiB; ffmpeg's libraries and 1080p picture buffers are the rest (62 MiB with I420 output)"],
    [`capture process PSS at ${runs.size}: OpenCV ≤ 120 MiB`, `${cell(row('rtsp-rx')?.childrenPssMiB)} MiB`, atMost(row('rtsp-rx')?.childrenPssMiB, 120), "of about 205 MiB, anonymous memory (V8 and frame buffers) is 87, the C heap (FFmpeg's picture pool, the BGR Mats) 54, and libraries about 60 (OpenCV's imgcodecs and highgui pull in GDAL, Qt, GDCM and librsvg, shared between capture processes); V8 flags are no lever: --max-semi-space-size=1 195, --jitless 186, a 64 MiB old space 216, within the ±15 MiB between runs"],
    [`${runs.scale.cameras} cameras at 640x480, ffmpeg source: ≥ 24.5 fps each`, `${cell(runs.scale.fpsPerCamera)} fps`, atMost(-(runs.scale.fpsPerCamera ?? 0), -24.5)],
    [`${runs.scale.cameras} cameras at 640x480, ffmpeg source: event-loop p99 ≤ 10 ms`, `${cell(runs.scale.eventLoopP99Ms)} ms`, atMost(runs.scale.eventLoopP99Ms, 10), '400 frames a second read on one event loop, each into a buffer of its own that the garbage collector then frees'],
    ['latency p50 within 5 ms of the ffmpeg low-delay floor, ffmpeg source', `${cell(latency('ffmpeg'))} against ${cell(latency('floor'))} ms`, latency('ffmpeg') == null || latency('floor') == null ? null : latency('ffmpeg')! - latency('floor')! <= 5, 'one picture, not yet located: in one experiment the concat input list held one (240 against 200 ms) and the filter chain none'],
    ['latency p50 within 5 ms of the ffmpeg low-delay floor, OpenCV source', `${cell(latency('rtsp-rx'))} against ${cell(latency('floor'))} ms`, latency('rtsp-rx') == null || latency('floor') == null ? null : latency('rtsp-rx')! - latency('floor')! <= 5, 'not measured apart; the capture process adds a pipe crossing of 6 MB to every frame'],
  ];
  const contenders: Array<[string, string]> = [
    ['rtsp-rx', 'rtsp-rx, OpenCV source, BGR (capture process + application)'],
    ['ffmpeg', 'rtsp-rx, ffmpeg source, BGR (ffmpeg + application)'],
    ['rtsp-rx i420', 'rtsp-rx, OpenCV source, I420'],
    ['ffmpeg i420', 'rtsp-rx, ffmpeg source, I420'],
    ['ffmpeg gray', 'rtsp-rx, ffmpeg source, gray'],
    ['bare', 'bare in-process readAsync() loop + getData()'],
    ['bare-mat', 'bare in-process readAsync() loop, Mat only'],
    ['floor', 'ffmpeg low-delay pipe + a Node reader assembling whole BGR frames'],
    ['rtsp-rx 1 fps', 'rtsp-rx, OpenCV source, maxFps 1'],
    ['ffmpeg 1 fps', 'rtsp-rx, ffmpeg source, maxFps 1'],
  ];
  return [
    `## 4b. Capture sources at ${runs.size}, 25 fps: CPU of every process involved, memory, latency`,
    '',
    'CPU and memory with the harness doing nothing but count frames; latency (stamp to delivery, including the simulator\'s own 200 ms) from separate runs that read every frame\'s stamp.',
    '',
    '| contender | fps | CPU ms / frame | vs bare | CPU % of a core | capture process PSS MiB | application RSS MiB | latency p50 |',
    '|---|---|---|---|---|---|---|---|',
    ...contenders.map(([name, label]) => {
      const r = row(name);
      return r?.crashed
        ? `| ${label} | crashed: ${r.crashed.replace(/\|/g, '/')} | | | | | | |`
        : `| ${label} | ${cell(r?.fpsPerCamera)} | ${cell(r?.cpuMsPerFrame)} | ${cell(ratio(r?.cpuMsPerFrame, bare))} | ${cell(r?.cpuPercent)} | ${cell(r?.childrenPssMiB)} | ${cell(r?.rssMiB)} | ${cell(latency(name))} |`;
    }),
    `| ffmpeg -f null (decoding only) | 25 | ${cell(runs.decodingOnly)} | ${cell(ratio(runs.decodingOnly, bare))} | ${cell(decodingPercent)} | | | |`,
    `| rtsp-rx, OpenCV source, watched through connection$ alone | 0 | | | ${cell(runs.watching['rtsp-rx']?.cpuPercent)} | ${cell(runs.watching['rtsp-rx']?.childrenPssMiB)} | ${cell(runs.watching['rtsp-rx']?.rssMiB)} | |`,
    `| rtsp-rx, ffmpeg source, watched through connection$ alone | 0 | | | ${cell(runs.watching['ffmpeg']?.cpuPercent)} | ${cell(runs.watching['ffmpeg']?.childrenPssMiB)} | ${cell(runs.watching['ffmpeg']?.rssMiB)} | |`,
    `| ${runs.scale.cameras} cameras at 640x480, ffmpeg source | ${cell(runs.scale.fpsPerCamera)} each | ${cell(runs.scale.cpuMsPerFrame)} | | ${cell(runs.scale.cpuPercent)} | ${cell(runs.scale.childrenPssMiB)} in all | ${cell(runs.scale.rssMiB)} | ${cell(runs.scale.p50)} |`,
    '',
    `Event-loop p99 with ${runs.scale.cameras} cameras on the ffmpeg source: ${cell(runs.scale.eventLoopP99Ms)} ms.`,
    '',
    '| goal | measured | verdict |',
    '|---|---|---|',
    ...goals.map(([goal, measured, met, why]) => `| ${goal} | ${measured} | ${verdictOf(met)}${met === false && why !== undefined ? `: ${why}` : ''} |`),
    '',
  ];
}
