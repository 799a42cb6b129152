/**
 * rtsp-rx benchmarks: freshness, latency, cost, faults, scale and soak, each against the bare
 * alternatives in the same run, contenders alternating round by round.
 *
 *   npm run bench              # the full run, under 20 minutes on 2 cores
 *   npm run bench -- --quick   # a reduced run, under 2 minutes
 *
 * Writes bench/results/*.json, bench/results/bench.svg and bench/RESULTS.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rtspEvents$, rtspFrames$ } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';
import { startCamera, type CameraOptions, type TestCamera } from '../test/camera/start-camera.js';
import { captureProcesses, openFileDescriptors } from '../test/opencv/support.js';
import { cpuMilliseconds, rssMiB } from './proc.js';
import { chart } from './svg.js';

const quick = process.argv.includes('--quick');
const here = fileURLToPath(new URL('.', import.meta.url));
// A quick run never overwrites the full run's results.
const results = `${here}results/${quick ? 'quick/' : ''}`;
const report = `${here}${quick ? 'RESULTS-quick.md' : 'RESULTS.md'}`;
mkdirSync(results, { recursive: true });

const plan = quick
  ? { rounds: 1, seconds: 3, settle: 2000, sizes: [[640, 480]] as const, scale: [1, 4], faultRepeats: 1, soakMinutes: 0.4 }
  : { rounds: 2, seconds: 10, settle: 3000, sizes: [[640, 480], [1920, 1080]] as const, scale: [1, 4, 8, 16], faultRepeats: 3, soakMinutes: 10 };

type Kind = 'rtsp-rx' | 'bare' | 'floor';
type Mode = 'latency' | 'freshness' | 'jpeg' | 'jpeg-idle';
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
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const median = (values: number[]) => percentile(values, 50);
const round = (value: number | null | undefined, digits = 1) => (value == null ? null : Number(value.toFixed(digits)));

async function withCamera<T>(options: CameraOptions, use: (camera: TestCamera) => Promise<T>): Promise<T> {
  const camera = await startCamera(options);
  try {
    return await use(camera);
  } finally {
    await camera.close();
  }
}

async function contender(kind: Kind, mode: Mode, camera: TestCamera, cameras: number, width: number, height: number): Promise<Run> {
  const job = { kind, mode, url: camera.url, cameras, seconds: plan.seconds, settle: plan.settle, width, height };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `${here}contender.ts`, JSON.stringify(job)], {
      timeout: (plan.seconds + 30 + cameras) * 1000,
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
async function alternate(kinds: Kind[], mode: Mode, camera: TestCamera, cameras: number, width: number, height: number, rounds = plan.rounds) {
  const pooled = new Map<Kind, Run[]>(kinds.map((kind) => [kind, []]));
  for (let r = 0; r < rounds; r++) {
    for (const kind of [...kinds.slice(r % kinds.length), ...kinds.slice(0, r % kinds.length)]) {
      log(`${mode} ${width}x${height} x${cameras}: ${kind}, round ${r + 1}`);
      pooled.get(kind)!.push(await contender(kind, mode, camera, cameras, width, height));
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
          cpuPercent: round(median(runs.map((run) => run.cpuMs / (plan.seconds * 10)))),
          appCpuPercent: round(median(runs.map((run) => run.appCpuMs / (plan.seconds * 10)))),
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

async function freshness() {
  return withCamera({ width: 640, height: 480, fps: 25 }, (camera) => alternate(['rtsp-rx', 'bare', 'floor'], 'freshness', camera, 1, 640, 480));
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
  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
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

async function scale() {
  const rows: Array<{ cameras: number } & Summary> = [];
  await withCamera({ width: 640, height: 480, fps: 25, shared: true }, async (camera) => {
    // One round each: 16 cameras take long to open, and the soak needs its 10 minutes.
    for (const cameras of plan.scale) rows.push({ cameras, ...(await alternate(['rtsp-rx', 'bare'], 'latency', camera, cameras, 640, 480, 1)) });
  });
  return rows;
}

async function soak() {
  const samples: Array<{ minute: number; rssMiB: number; descriptors: number; captures: number }> = [];
  const started = Date.now();
  return withCamera({ width: 640, height: 480, fps: 25 }, async (camera) => {
    // Counted once the simulator runs: its own pipes are not the soak's to give back.
    const descriptorsBefore = openFileDescriptors();
    const source = opencvCaptureSource();
    let frames = 0;
    const subscriptions = Array.from({ length: 4 }, () => rtspFrames$(camera.url, { source, reconnectDelay: 300, maxReconnectDelay: 1000, stallTimeout: 2000 }).subscribe(() => frames++));
    const faultsInTurn = [
      async () => (camera.pause(), await new Promise((resolve) => setTimeout(resolve, 3000)), camera.resume()),
      async () => camera.restart(),
      async () => captureProcesses().slice(0, 1).forEach(({ pid }) => process.kill(pid, 'SIGKILL')),
      async () => (await camera.kill(), await new Promise((resolve) => setTimeout(resolve, 2000)), await camera.restart()),
    ];
    let fault = 0;
    let nextFault = Date.now() + 30_000;
    while (Date.now() - started < plan.soakMinutes * 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      if (Date.now() >= nextFault) {
        await faultsInTurn[fault++ % faultsInTurn.length]!();
        nextFault += 30_000;
      }
      samples.push({ minute: round((Date.now() - started) / 60_000, 2)!, rssMiB: round(rssMiB('self'))!, descriptors: openFileDescriptors(), captures: captureProcesses().length });
    }
    for (const subscription of subscriptions) subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const half = samples.slice(Math.floor(samples.length / 2));
    const slope = half.length > 1 ? (half.at(-1)!.rssMiB - half[0]!.rssMiB) / (half.at(-1)!.minute - half[0]!.minute) : null;
    return {
      minutes: plan.soakMinutes,
      cameras: 4,
      faults: fault,
      frames,
      rssFirstMiB: samples[0]?.rssMiB,
      rssLastMiB: samples.at(-1)?.rssMiB,
      rssSlopeMiBPerMinute: round(slope, 2),
      descriptorGrowth: openFileDescriptors() - descriptorsBefore,
      captureProcessesLeft: captureProcesses().length,
      samples,
    };
  });
}

const machine = {
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: round(totalmem() / 2 ** 30, 0),
  node: process.version,
  opencv: execFileSync('pkg-config', ['--modversion', 'opencv4'], { encoding: 'utf8' }).trim(),
  ffmpeg: execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/ Copyright.*/, ''),
  gstreamer: execFileSync('gst-inspect-1.0', ['--version'], { encoding: 'utf8' }).split('\n')[1]!,
  date: new Date().toISOString(),
  quick,
};

const started = Date.now();
log(`${quick ? 'quick' : 'full'} run`);
const fresh = await freshness();
save('freshness', fresh);
const lat = await latency();
save('latency', lat);
const [costWidth, costHeight] = plan.sizes.at(-1)!;
const floorCost = await ffmpegNull(costWidth, costHeight);
const costSize = lat[`${costWidth}x${costHeight}`]!;
const cost = { size: `${costWidth}x${costHeight}`, rtspRx: costSize['rtsp-rx']!.cpuMsPerFrame, bare: costSize['bare']!.cpuMsPerFrame, ffmpegNull: floorCost };
save('cost', cost);
log('jpeg');
const jpegRuns = await jpeg();
save('jpeg', jpegRuns);
log('faults');
const fault = await faults();
save('faults', fault);
const scaled = await scale();
save('scale', scaled);
log(`soak: ${plan.soakMinutes} min`);
const soaked = await soak();
save('soak', soaked);
save('machine', machine);

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b === 0 ? null : round(a / b, 2));
const cell = (value: unknown) => (value == null ? '–' : String(value));
const lines = [
  '# rtsp-rx benchmark results',
  '',
  `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${machine.date.slice(0, 10)}: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, OpenCV ${machine.opencv}, ${machine.ffmpeg}, ${machine.gstreamer}.`,
  `Every table compares contenders measured in the same run, alternating; figures are medians of ${plan.rounds} run(s) of ${plan.seconds} s (scale: one run each). Times in ms.`,
  'The camera simulator itself adds about 200 ms between stamping a frame and sending it (GStreamer\'s RTSP server pipeline); every contender, the floor included, carries it.',
  '',
  '- **rtsp-rx**: `rtspFrames$` with `opencvCaptureSource()` (a capture process per camera).',
  '- **bare**: `@u4/opencv4nodejs` `VideoCapture` with a `readAsync()` loop in the application.',
  '- **floor**: `ffmpeg -fflags nobuffer -flags low_delay -threads 1 -rtsp_transport tcp -i URL` to raw frames on a pipe.',
  '',
  '## 1. Freshness: one frame a second from a 25 fps camera (age of the frame taken)',
  '',
  '| contender | p50 | p99 | vs floor p99 |',
  '|---|---|---|---|',
  ...(['rtsp-rx', 'bare', 'floor'] as const).map((kind) => `| ${kind} | ${cell(fresh[kind]?.p50)} | ${cell(fresh[kind]?.p99)} | ${cell(round((fresh[kind]?.p99 ?? NaN) - (fresh['floor']?.p99 ?? NaN)))} |`),
  '',
  `Goal: rtsp-rx p99 within 30 ms of the floor's p99. Ratio bare/rtsp-rx p50: ${cell(ratio(fresh['bare']?.p50, fresh['rtsp-rx']?.p50))}.`,
  '',
  '## 2. Latency at full rate (delivery minus send)',
  '',
  '| size | contender | p50 | p99 | fps | vs floor p50 |',
  '|---|---|---|---|---|---|',
  ...Object.entries(lat).flatMap(([size, runs]) =>
    (['rtsp-rx', 'bare', 'floor'] as const).map((kind) => `| ${size} | ${kind} | ${cell(runs[kind]?.p50)} | ${cell(runs[kind]?.p99)} | ${cell(runs[kind]?.fpsPerCamera)} | ${cell(round((runs[kind]?.p50 ?? NaN) - (runs['floor']?.p50 ?? NaN)))} |`),
  ),
  '',
  "Goal: rtsp-rx p50 within 10 ms of the floor's p50.",
  '',
  `## 3. Cost at ${cost.size}: CPU time per delivered frame`,
  '',
  '| contender | CPU ms / frame | vs bare |',
  '|---|---|---|',
  `| rtsp-rx (application + capture process) | ${cell(cost.rtspRx)} | ${cell(ratio(cost.rtspRx, cost.bare))} |`,
  `| bare readAsync() loop | ${cell(cost.bare)} | 1 |`,
  `| ffmpeg -f null (decoding only) | ${cell(cost.ffmpegNull)} | ${cell(ratio(cost.ffmpegNull, cost.bare))} |`,
  '',
  'Goal: rtsp-rx at most 1.15x the bare loop.',
  '',
  `## 4. JPEG for a browser at ${jpegRuns.size}, 25 fps (SMPTE test card, quality 80)`,
  '',
  '| contender | fps | CPU ms / frame (all processes) | application CPU % | event-loop p99 |',
  '|---|---|---|---|---|',
  `| rtsp-rx, \`pixelFormat: 'jpeg'\` (encoded in the capture process) | ${cell(jpegRuns.contenders['rtsp-rx']?.fpsPerCamera)} | ${cell(jpegRuns.contenders['rtsp-rx']?.cpuMsPerFrame)} | ${cell(jpegRuns.contenders['rtsp-rx']?.appCpuPercent)} | ${cell(jpegRuns.contenders['rtsp-rx']?.eventLoopP99Ms)} |`,
  `| bare readAsync() loop + \`imencodeAsync\` in the application | ${cell(jpegRuns.contenders['bare']?.fpsPerCamera)} | ${cell(jpegRuns.contenders['bare']?.cpuMsPerFrame)} | ${cell(jpegRuns.contenders['bare']?.appCpuPercent)} | ${cell(jpegRuns.contenders['bare']?.eventLoopP99Ms)} |`,
  `| rtsp-rx, nobody asking (\`demand$\` false: decoding only) | ${cell(jpegRuns.idle.fpsPerCamera)} | – | ${cell(jpegRuns.idle.appCpuPercent)} | ${cell(jpegRuns.idle.eventLoopP99Ms)} |`,
  '',
  `Application CPU, rtsp-rx vs bare: ${cell(ratio(jpegRuns.contenders['rtsp-rx']?.appCpuPercent, jpegRuns.contenders['bare']?.appCpuPercent))}. Nobody asking, all processes: ${cell(jpegRuns.idle.cpuPercent)} % of a core, against ${cell(jpegRuns.contenders['rtsp-rx']?.cpuPercent)} % while frames are taken.`,
  '',
  '## 5. Faults',
  '',
  `| what | setting | measured (median of ${plan.faultRepeats}) |`,
  '|---|---|---|',
  `| stall detected (SIGSTOP to capture released) | stallTimeout ${fault.stallTimeout} | ${cell(fault.stallDetectedMs)} |`,
  `| server back to first frame | reconnectDelay ${fault.reconnectDelay} | ${cell(fault.serverBackToFirstFrameMs)} |`,
  '',
  '## 6. Scale: 640x480 at 25 fps, one shared encoder',
  '',
  '| cameras | contender | fps per camera | CPU % | app RSS MiB | capture PSS MiB | event-loop p99 | file read p50 | latency p50 |',
  '|---|---|---|---|---|---|---|---|---|',
  ...scaled.flatMap((row) =>
    (['rtsp-rx', 'bare'] as const).map((kind) => {
      const r = row[kind]!;
      return r.crashed
        ? `| ${row.cameras} | ${kind} | crashed: ${r.crashed.replace(/\|/g, '/')} | | | | | | |`
        : `| ${row.cameras} | ${kind} | ${cell(r.fpsPerCamera)} | ${cell(r.cpuPercent)} | ${cell(r.rssMiB)} | ${cell(r.childrenPssMiB)} | ${cell(r.eventLoopP99Ms)} | ${cell(r.fileReadP50Ms)} | ${cell(r.p50)} |`;
    }),
  ),
  '',
  `## 7. Soak: 4 cameras, ${plan.soakMinutes} min, a fault every 30 s (${soaked.faults} faults)`,
  '',
  `Application RSS ${cell(soaked.rssFirstMiB)} → ${cell(soaked.rssLastMiB)} MiB, slope over the second half ${cell(soaked.rssSlopeMiBPerMinute)} MiB/min; file descriptors ${soaked.descriptorGrowth >= 0 ? '+' : ''}${soaked.descriptorGrowth}; capture processes left ${soaked.captureProcessesLeft}. Goal: flat RSS, no growth in descriptors or processes.`,
  '',
  `![latency distribution and RSS over time](results/${quick ? 'quick/' : ''}bench.svg)`,
  '',
  `Run time: ${round((Date.now() - started) / 60_000)} min.`,
  '',
];
writeFileSync(report, lines.join('\n'));
const [firstWidth, firstHeight] = plan.sizes[0];
writeFileSync(
  `${results}bench.svg`,
  chart(
    `Latency at ${firstWidth}x${firstHeight}, full rate`,
    Object.fromEntries(Object.entries(lat[`${firstWidth}x${firstHeight}`]!).map(([kind, run]) => [kind, run.distribution])),
    soaked.samples.map(({ minute, rssMiB }) => [minute, rssMiB] as const),
  ),
);
log(`done in ${round((Date.now() - started) / 60_000)} min: ${report}`);
process.exit(0);
