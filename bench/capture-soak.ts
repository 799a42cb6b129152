/**
 * Four cameras for a while: the application's memory and the capture processes' memory (PSS) over time,
 * event-loop delay, frames delivered, and what is left running at the end.
 *
 *   npx tsx bench/capture-soak.ts [minutes=5]
 *
 * Prints one JSON line per sample, then a summary line.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rtspFrames$ } from '../src/index.js';
import { opencvCaptureSource } from '../src/opencv/index.js';
import { startCamera } from '../test/camera/start-camera.js';
import { captureProcesses, openFileDescriptors } from '../test/opencv/support.js';

const minutes = Number(process.argv[2] ?? 5);
/** Proportional set size: shared library pages are split among the processes that map them. */
const pssMiB = (pid: number | 'self') => Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) / 1024;

const camera = await startCamera({ width: 640, height: 480, fps: 25 });
const descriptorsBefore = openFileDescriptors();
let frames = 0;
const subscriptions = Array.from({ length: 4 }, () => rtspFrames$(camera.url, { source: opencvCaptureSource() }).subscribe(() => frames++));
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

const samples: Array<{ minute: number; appPss: number; capturesPss: number; fps: number }> = [];
const started = Date.now();
let framesAtLastSample = 0;
while (Date.now() - started < minutes * 60_000) {
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const sample = {
    minute: Number(((Date.now() - started) / 60_000).toFixed(2)),
    appPss: Number(pssMiB('self').toFixed(1)),
    capturesPss: Number(captureProcesses().reduce((sum, { pid }) => sum + pssMiB(pid), 0).toFixed(1)),
    fps: Number(((frames - framesAtLastSample) / 15 / 4).toFixed(1)),
  };
  framesAtLastSample = frames;
  samples.push(sample);
  console.log(JSON.stringify(sample));
}

for (const subscription of subscriptions) subscription.unsubscribe();
await new Promise((resolve) => setTimeout(resolve, 1000));
await camera.close();
const steady = samples.slice(Math.floor(samples.length / 2));
console.log(
  JSON.stringify({
    summary: true,
    minutes,
    cameras: 4,
    appPssFirst: samples[0]?.appPss,
    appPssLast: samples.at(-1)?.appPss,
    appPssSlopeMiBPerMinute: steady.length > 1 ? Number(((steady.at(-1)!.appPss - steady[0]!.appPss) / (steady.at(-1)!.minute - steady[0]!.minute)).toFixed(2)) : undefined,
    capturesPssLast: samples.at(-1)?.capturesPss,
    eventLoopP99Ms: Number((delay.percentile(99) / 1e6).toFixed(1)),
    captureProcessesLeft: captureProcesses().length,
    descriptorGrowth: openFileDescriptors() - descriptorsBefore,
  }),
);
process.exit(0);
