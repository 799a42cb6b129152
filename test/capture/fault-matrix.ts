import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaptureSource, ConnectionState } from '../../src/index.js';
import { captureProcesses, lateKeyframeRecording, resolutionChangeRecording, startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { eventLoopDelay, expectReleased, openFileDescriptors, QUICK, rudeServer, sleep, stopAllWatchers, watch } from '../opencv/support.js';

/** A capture source under test, made with quick timeouts. */
export interface SourceUnderTest {
  /** `the OpenCV capture source` */
  readonly name: string;
  make(options: { readonly log: (line: string) => void; readonly transport?: 'tcp' }): CaptureSource;
}

/** What a source's own fault tests get from the matrix they run in. */
export interface FaultContext {
  readonly logs: string[];
  readonly source: () => CaptureSource;
  readonly camera: (...args: Parameters<typeof startTestCamera>) => Promise<TestCamera>;
}

/**
 * The faults every capture source must survive, against the real test camera and rude
 * servers on loopback: the same cases, states and limits for each. `more` adds a source's own.
 */
export function faultMatrix(subject: SourceUnderTest, more: (context: FaultContext) => void = () => undefined): void {
/** Every fault below must leave this many descriptors or fewer, and no capture process. */
let baseline: number;
const cameras: TestCamera[] = [];
const logs: string[] = [];
const source = () => subject.make({ log: (line) => logs.push(line) });
const camera = async (...args: Parameters<typeof startTestCamera>) => {
  const started = await startTestCamera(...args);
  cameras.push(started);
  return started;
};

beforeEach(() => {
  baseline = openFileDescriptors();
  logs.length = 0;
});

afterEach(async () => {
  stopAllWatchers();
  await Promise.all(cameras.splice(0).map((c) => c.close()));
  expect(await expectReleased(baseline), 'capture processes and descriptors once released').toEqual({ processes: 0, descriptors: expect.any(Number) });
  expect(openFileDescriptors(), 'file descriptors after the test').toBeLessThanOrEqual(baseline);
});

describe(`${subject.name} against a real RTSP server`, () => {
  more({ logs, source, camera });

  it('delivers frames of the stream with its info, and the event loop never waits on the camera', async () => {
    const cam = await camera({ width: 320, height: 240, fps: 25 });
    const delay = eventLoopDelay();
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(25);
    const { p99 } = delay.stop();
    expect(watched.statuses()).toEqual(['connecting', 'connected']);
    expect(watched.states[1]!.state).toMatchObject({ info: { width: 320, height: 240, fps: 25, codec: 'h264', transport: 'tcp', pid: expect.any(Number) } });
    const { pid } = (watched.states[1]!.state as Extract<ConnectionState, { status: 'connected' }>).info;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), 'the pid is that of the process that decodes').toMatch(/ffmpeg|capture-process/);
    const frame = watched.frames.at(-1)!;
    expect(frame).toMatchObject({ width: 320, height: 240, channels: 3, pixelFormat: 'bgr' });
    expect(frame.data).toHaveLength(320 * 240 * 3);
    expect(watched.frames.map((f) => f.sequence)).toEqual(watched.frames.map((_, index) => index + 1));
    expect(p99, 'event-loop delay p99 (ms) while opening and streaming').toBeLessThan(20);
  });

  it('server killed and back later: drop, refusals, then recovery', async () => {
    const cam = await camera();
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(5);
    const delay = eventLoopDelay();
    const killedAt = Date.now() - watched.started;
    await cam.kill();
    const dropped = await watched.until('the drop', () => watched.statuses().some((s) => s.startsWith('reconnecting')));
    await watched.until('a refusal', () => watched.statuses().includes('reconnecting:ECONNREFUSED'));
    await cam.restart();
    const backAt = Date.now() - watched.started;
    const firstFrame = await watched.moreFrames(1);
    expect(watched.statuses()[2]).toMatch(/^reconnecting:(ENDED|ECONNRESET)$/);
    // The end is explained by the camera, never by decoder complaints about the last picture.
    expect((watched.states[2]!.state as { cause: Error }).cause.message).not.toMatch(/decoding|no picture yet|no frame!|missing picture/);
    expect(watched.statuses().at(-1)).toBe('connected');
    const { p99 } = delay.stop();
    console.info(`server killed: noticed in ${dropped - killedAt} ms; server back to first frame in ${firstFrame - backAt} ms; event-loop p99 ${p99.toFixed(1)} ms`);
    expect(p99, 'event-loop delay p99 (ms) while the camera died and came back').toBeLessThan(20);
    expect(dropped - killedAt, 'ms to notice the kill').toBeLessThan(1500);
    expect(firstFrame - backAt, 'ms from server back to first frame').toBeLessThan(5000);
  });

  it('stalled (SIGSTOP) then resumed: STALLED within stallTimeout, then recovery', async () => {
    const cam = await camera();
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(5);
    const pausedAt = Date.now() - watched.started;
    const delay = eventLoopDelay();
    cam.pause();
    const stalled = await watched.until('the stall', () => watched.statuses().includes('reconnecting:STALLED'));
    await sleep(1500);
    const captures = captureProcesses().length;
    const resumedAt = Date.now() - watched.started;
    cam.resume();
    const firstFrame = await watched.moreFrames(1);
    await watched.moreFrames(5);
    const { p99 } = delay.stop();
    console.info(`stall: noticed in ${stalled - pausedAt} ms with stallTimeout ${QUICK.stallTimeout}; first frame ${firstFrame - resumedAt} ms after the camera resumed; event-loop p99 ${p99.toFixed(1)} ms`);
    expect(p99, 'event-loop delay p99 (ms) while stalled').toBeLessThan(20);
    expect(stalled - pausedAt, 'ms to notice the stall').toBeLessThan(QUICK.stallTimeout + 500);
    // The stalled session was kept beside the new attempt, and goes on at once.
    expect(captures, 'capture processes while stalled: the stalled one and the new attempt').toBe(2);
    expect(firstFrame - resumedAt, 'ms from resume to the first frame').toBeLessThan(500);
    expect(watched.statuses().at(-1)).toBe('connected');
    await watched.until('the new attempt released', () => captureProcesses().length === 1, 2000);
  });

  it('restarted on the same port: reconnects to the new server', async () => {
    const cam = await camera();
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(5);
    await cam.restart();
    await watched.until('the drop', () => watched.statuses().some((s) => s.startsWith('reconnecting')));
    await watched.moreFrames(5);
    expect(watched.statuses().filter((s) => s === 'connected').length).toBeGreaterThanOrEqual(2);
  });

  it('a refused port: ECONNREFUSED with back-off, and `failed` once the attempts run out', async () => {
    const cam = await camera();
    await cam.kill();
    const delay = eventLoopDelay();
    const watched = watch(cam.url, { source: source(), ...QUICK, maxReconnectAttempts: 2 });
    await watched.until('failed', () => watched.statuses().at(-1)?.startsWith('failed') === true);
    expect(delay.stop().p99, 'event-loop delay p99 (ms) while refused').toBeLessThan(20);
    expect(watched.statuses()).toEqual([
      'connecting',
      'reconnecting:ECONNREFUSED',
      'connecting',
      'reconnecting:ECONNREFUSED',
      'connecting',
      'failed:ECONNREFUSED',
    ]);
    expect(watched.frames).toHaveLength(0);
  });

  it('a port that accepts TCP and never answers: OPEN_TIMEOUT, and the event loop never blocks', async () => {
    const blackHole = await rudeServer('silent');
    try {
      const delay = eventLoopDelay();
      const watched = watch(blackHole.url, { source: source(), ...QUICK, openTimeout: 2000, maxReconnectAttempts: 0 });
      await watched.until('failed', () => watched.statuses().at(-1)?.startsWith('failed') === true, 10_000);
      const { p99 } = delay.stop();
      expect(watched.statuses()).toEqual(['connecting', 'failed:OPEN_TIMEOUT']);
      expect(watched.states[1]!.at).toBeGreaterThanOrEqual(2000);
      expect(watched.states[1]!.at).toBeLessThan(3000);
      console.info(`black-holed open: OPEN_TIMEOUT after ${watched.states[1]!.at} ms; event-loop p99 ${p99.toFixed(1)} ms`);
      expect(p99, 'event-loop delay p99 (ms) during a black-holed open').toBeLessThan(20);
    } finally {
      await blackHole.close();
    }
  });

  it('a wrong path: NOT_FOUND', async () => {
    const cam = await camera();
    const watched = watch(cam.url.replace('/cam', '/no-such-stream'), { source: source(), ...QUICK });
    await watched.until('failed', () => watched.statuses().at(-1)?.startsWith('failed') === true);
    // No retry can make a path exist: it fails at once, whatever maxReconnectAttempts says.
    expect(watched.statuses()).toEqual(['connecting', 'failed:NOT_FOUND']);
  });

  it('a wrong password: UNAUTHORIZED, and the password is nowhere: not in logs, states, errors, or any command line', async () => {
    const password = 'Wr0ng-Pa55word';
    const cam = await camera({ auth: { user: 'viewer', password: 'right-one' } });
    const url = cam.url.replace('right-one', password);
    const watched = watch(url, { source: source(), ...QUICK, maxReconnectAttempts: 1, retryOnPermanentError: true });
    const commandLines: string[] = [];
    await watched.until('a capture process', () => captureProcesses().length > 0, 5000);
    for (const { cmdline, environ } of captureProcesses()) commandLines.push(cmdline, environ);
    await watched.until('failed', () => watched.statuses().at(-1)?.startsWith('failed') === true);
    expect(watched.statuses()).toEqual(['connecting', 'reconnecting:UNAUTHORIZED', 'connecting', 'failed:UNAUTHORIZED']);
    expect(logs.join('\n')).toMatch(/401 Unauthorized/);
    const everything = [
      ...logs,
      ...commandLines,
      ...watched.states.map(({ state }) => JSON.stringify(state)),
      ...watched.states.flatMap(({ state }) => ('cause' in state ? [state.cause.message, String(state.cause.stack)] : [])),
    ].join('\n');
    expect(commandLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('right-one');
  });

  it('a TCP server that answers garbage: a failed attempt, never a crash, and no unrelated detail, from a directory without a package.json (the OpenCV addon complains of it on every load)', async () => {
    const garbage = await rudeServer('garbage');
    const directory = process.cwd();
    const empty = mkdtempSync(join(tmpdir(), 'rtsp-rx-no-package-'));
    // The addon complains of the missing package.json on every load: that is no cause.
    process.chdir(empty);
    try {
      const watched = watch(garbage.url, { source: source(), ...QUICK, maxReconnectAttempts: 0 });
      await watched.until('failed', () => watched.statuses().at(-1)?.startsWith('failed') === true);
      expect(watched.statuses()).toEqual(['connecting', expect.stringMatching(/^failed:(CAPTURE_ERROR|OPEN_TIMEOUT)$/)]);
      const { cause } = watched.states[1]!.state as { cause: Error };
      expect(cause.message).not.toMatch(/package\.json|applyEnvs|ENOENT|Info:/);
    } finally {
      process.chdir(directory);
      rmSync(empty, { recursive: true });
      await garbage.close();
    }
  });

  it('a camera that refuses RTP over TCP (461): auto falls back to UDP and remembers it; tcp forced fails at once with UNSUPPORTED_TRANSPORT', async () => {
    const cam = await camera({ transports: 'udp' });
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(10);
    expect(watched.statuses()).toEqual(['connecting', 'connected']);
    expect(watched.states[1]!.state).toMatchObject({ info: { transport: 'udp' } });
    // A new attempt goes straight to UDP: no second refusal.
    captureProcesses().forEach(({ pid }) => process.kill(pid, 'SIGKILL'));
    await watched.until('the reconnect', () => watched.statuses().filter((status) => status === 'connected').length === 2);
    await watched.moreFrames(10);
    expect(logs.filter((line) => /461 Unsupported transport/.test(line))).toHaveLength(1);
    expect(logs.filter((line) => /refuses RTP over TCP/.test(line))).toHaveLength(1);
    watched.stop();

    const forced = watch(cam.url, { source: subject.make({ transport: 'tcp', log: (line) => logs.push(line) }), ...QUICK });
    await forced.until('failed', () => forced.statuses().at(-1)?.startsWith('failed') === true);
    expect(forced.statuses()).toEqual(['connecting', 'failed:UNSUPPORTED_TRANSPORT']);
    expect((forced.states[1]!.state as { cause: Error }).cause.message).toMatch(/: \[rtsp\] method SETUP failed: 461 Unsupported transport$/);
  });

  it('the first keyframe 4.6 s after connect, past four stall timeouts: one connection, no reconnect churn', async () => {
    const cam = await camera({ recording: lateKeyframeRecording() });
    const watched = watch(cam.url, { source: source(), ...QUICK, openTimeout: 10_000, stallTimeout: 1000 });
    const first = await watched.moreFrames(1, 25_000);
    console.info(`late keyframe: first frame after ${first} ms, states ${watched.statuses().join(' → ')}`);
    expect(first, 'ms to the first frame').toBeGreaterThan(4000);
    await watched.moreFrames(10);
    expect(watched.statuses()).toEqual(['connecting', 'connected']);
  }, 40_000);

  it('a resolution change inside the stream: STREAM_CHANGED instead of pictures of the old size', async () => {
    // OpenCV 4.6 cannot rescale to a size announced mid-stream and would go on handing out the
    // old size. A live camera goes on streaming whoever watches: a second viewer keeps the
    // shared recording playing through our reconnects.
    const cam = await camera({ recording: resolutionChangeRecording(), shared: true });
    const viewer = spawn('ffmpeg', ['-loglevel', 'quiet', '-rtsp_transport', 'tcp', '-i', cam.url, '-f', 'null', '-'], { stdio: 'ignore' });
    try {
      const watched = watch(cam.url, { source: source(), ...QUICK });
      await watched.until('the change', () => watched.statuses().includes('reconnecting:STREAM_CHANGED'), 10_000);
      expect(watched.statuses().slice(0, 3)).toEqual(['connecting', 'connected', 'reconnecting:STREAM_CHANGED']);
      expect(watched.frames.length).toBeGreaterThan(0);
      expect(watched.frames.every((frame) => frame.width === 320 && frame.data.length === 320 * 240 * 3)).toBe(true);
    } finally {
      viewer.kill('SIGKILL');
    }
  }, 30_000);

  it('a camera that restarts at a new resolution: connected again at the new size', async () => {
    const cam = await camera({ width: 320, height: 240 });
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(5);
    await cam.restart({ width: 640, height: 480 });
    await watched.until('640x480 frames', () => watched.frames.at(-1)?.width === 640);
    expect(watched.states.flatMap(({ state }) => (state.status === 'connected' ? [`${state.info.width}x${state.info.height}`] : []))).toEqual(['320x240', '640x480']);
    expect(watched.frames.at(-1)!.data).toHaveLength(640 * 480 * 3);
  });

  it('the capture process killed: CAPTURE_CRASHED, a reconnect, frames again', async () => {
    const cam = await camera();
    const watched = watch(cam.url, { source: source(), ...QUICK });
    await watched.moreFrames(5);
    const [capture] = captureProcesses();
    const killedAt = Date.now() - watched.started;
    process.kill(capture!.pid, 'SIGKILL');
    const noticed = await watched.until('the crash', () => watched.statuses().includes('reconnecting:CAPTURE_CRASHED'));
    await watched.moreFrames(5);
    console.info(`capture process killed: noticed in ${noticed - killedAt} ms`);
    expect(noticed - killedAt, 'ms to notice the kill').toBeLessThan(500);
    expect(captureProcesses().map(({ pid }) => pid)).not.toContain(capture!.pid);
  });

  it('the capture process killed while it opens: CAPTURE_CRASHED and a new attempt', async () => {
    const blackHole = await rudeServer('silent');
    try {
      const watched = watch(blackHole.url, { source: source(), ...QUICK, openTimeout: 20_000 });
      await watched.until('a capture process', () => captureProcesses().length === 1, 5000);
      await sleep(300);
      process.kill(captureProcesses()[0]!.pid, 'SIGKILL');
      await watched.until('the crash', () => watched.statuses().includes('reconnecting:CAPTURE_CRASHED'), 2000);
      await watched.until('the next attempt', () => watched.statuses().at(-1) === 'connecting' && captureProcesses().length === 1, 5000);
    } finally {
      await blackHole.close();
    }
  });

  describe('unsubscribing releases the capture process and its pipes within a second', () => {
    it('during the open', async () => {
      const blackHole = await rudeServer('silent');
      try {
        const watched = watch(blackHole.url, { source: source(), ...QUICK });
        await watched.until('a capture process', () => captureProcesses().length === 1, 5000);
        watched.stop();
        expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
      } finally {
        await blackHole.close();
      }
    });

    it('during the read', async () => {
      const cam = await camera();
      const watched = watch(cam.url, { source: source(), ...QUICK });
      await watched.moreFrames(3);
      watched.stop();
      expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
    });

    it('during the back-off', async () => {
      const cam = await camera();
      await cam.kill();
      const watched = watch(cam.url, { source: source(), ...QUICK, reconnectDelay: 5000, maxReconnectDelay: 5000 });
      await watched.until('the back-off', () => watched.statuses().includes('reconnecting:ECONNREFUSED'));
      watched.stop();
      expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
    });
  });
});
}
