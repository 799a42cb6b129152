import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ffmpegCaptureSource, type FfmpegCaptureOptions } from '../../src/ffmpeg/index.js';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { expectReleased, openFileDescriptors, QUICK, sleep, stopAllWatchers, watch } from '../opencv/support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'Ff-9d2e41-Recognisable';

let baseline: number;
let camera: TestCamera | undefined;
const logs: string[] = [];
const source = (options: FfmpegCaptureOptions = {}) => ffmpegCaptureSource({ ioTimeout: 3000, log: (line) => logs.push(line), ...options });

beforeEach(() => {
  baseline = openFileDescriptors();
  logs.length = 0;
});

afterEach(async () => {
  stopAllWatchers();
  await camera?.close();
  camera = undefined;
  expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
});

/** Every process's command line, as `ps` shows them to any local user. */
function everyCommandLine(): string[] {
  const seen: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      seen.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // Gone while we looked.
    }
  }
  return seen;
}

/** An ffmpeg that says it is 4.4, the last version whose input lists take no options, and is the real one otherwise. */
function oldFfmpeg(): { path: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'rtsp-rx-old-ffmpeg-'));
  const path = join(directory, 'ffmpeg');
  writeFileSync(path, '#!/bin/sh\ncase " $* " in *" -version "*) echo "ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021"; exit 0;; esac\nexec ffmpeg "$@"\n');
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

describe('the ffmpeg capture source, on its own terms', () => {
  it('keeps the password off every command line, from the shell that starts ffmpeg to the stream', async () => {
    camera = await startTestCamera({ auth: { user: 'viewer', password: PASSWORD } });
    const seen = new Set<string>();
    let looking = true;
    const look = (async () => {
      // From before the first process starts until frames flow: the shell's moment included.
      while (looking) {
        for (const line of everyCommandLine()) seen.add(line);
        await sleep(2);
      }
    })();
    const watched = watch(camera.url, { source: source(), ...QUICK });
    await watched.moreFrames(10);
    looking = false;
    await look;
    const all = [...seen].join('\n');
    expect(all, 'the ffmpeg of this test was seen').toMatch(/ffmpeg .*-i \/dev\/fd\/3/);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('no ffmpeg at ffmpegPath: CAPTURE_UNAVAILABLE at once, saying how to install one', async () => {
    const watched = watch('rtsp://127.0.0.1:9/cam', { source: source({ ffmpegPath: '/nonexistent/ffmpeg' }), ...QUICK });
    await watched.until('failed', () => watched.statuses().at(-1)?.startsWith('failed') === true, 5000);
    expect(watched.statuses()).toEqual(['connecting', 'failed:CAPTURE_UNAVAILABLE']);
    expect((watched.states[1]!.state as { cause: Error }).cause.message).toMatch(/^ffmpeg was not found \(no program at \/nonexistent\/ffmpeg\): install it .*ffmpegPath$/);
  });

  it('an ffmpeg older than 5.0 with a password to hand: refused with the ways out, unless credentialsInArgv; without a password it streams', async () => {
    camera = await startTestCamera({ auth: { user: 'viewer', password: PASSWORD } });
    const old = oldFfmpeg();
    try {
      const refused = watch(camera.url, { source: source({ ffmpegPath: old.path }), ...QUICK });
      await refused.until('failed', () => refused.statuses().at(-1)?.startsWith('failed') === true, 5000);
      expect(refused.statuses()).toEqual(['connecting', 'failed:CAPTURE_UNAVAILABLE']);
      const { message } = (refused.states[1]!.state as { cause: Error }).cause;
      expect(message).toMatch(/^ffmpeg 4\.4\.2 can only take the camera's URL in its command line/);
      expect(message).toMatch(/ffmpeg 5\.0 or newer/);
      expect(message).toMatch(/OpenCV source/);
      expect(message).toMatch(/credentialsInArgv: true/);
      refused.stop();

      const accepted = watch(camera.url, { source: source({ ffmpegPath: old.path, credentialsInArgv: true }), ...QUICK });
      await accepted.moreFrames(5);
      accepted.stop();
      await camera.close();

      camera = await startTestCamera();
      const open = watch(camera.url, { source: source({ ffmpegPath: old.path }), ...QUICK });
      await open.moreFrames(5);
      expect(open.statuses()).toEqual(['connecting', 'connected']);
    } finally {
      old.remove();
    }
  });

  it('hwaccel without the hardware: two failed attempts, then software decoding for that camera', async () => {
    camera = await startTestCamera();
    const watched = watch(camera.url, { source: source({ hwaccel: 'cuda' }), ...QUICK });
    await watched.moreFrames(5, 15_000);
    // The session opens; the decoder then cannot start on the missing device.
    const failures = watched.states.flatMap(({ state }) => (state.status === 'reconnecting' ? [state.cause] : []));
    expect(failures.map(({ code }) => code)).toEqual(['CAPTURE_ERROR', 'CAPTURE_ERROR']);
    expect(failures[0]!.message).toMatch(/^ffmpeg exited with code 1: .*[Dd]evice/);
    expect(watched.statuses().at(-1)).toBe('connected');
    expect(logs.filter((line) => /software decoding for this camera from now on/.test(line))).toHaveLength(1);
  });

  it('ffmpeg does not outlive an application killed with SIGKILL', async () => {
    camera = await startTestCamera();
    const directory = mkdtempSync(join(tmpdir(), 'rtsp-rx-app-'));
    const file = join(directory, 'app.mts');
    writeFileSync(
      file,
      `import { rtspFrames$ } from ${JSON.stringify(`${root}src/index.ts`)};
       import { ffmpegCaptureSource } from ${JSON.stringify(`${root}src/ffmpeg/index.ts`)};
       let frames = 0;
       rtspFrames$(${JSON.stringify(camera.url)}, { source: ffmpegCaptureSource() }).subscribe(() => ++frames === 5 && console.log('streaming'));`,
    );
    const app = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => app.stdout.on('data', (chunk: Buffer) => /streaming/.test(String(chunk)) && resolve()));
      const ffmpeg = readdirSync('/proc').find((entry) => {
        try {
          return (
            /^\d+$/.test(entry) &&
            Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]) === app.pid &&
            readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('/dev/fd/3')
          );
        } catch {
          return false;
        }
      });
      expect(ffmpeg, 'the application has its ffmpeg').toBeDefined();
      app.kill('SIGKILL');
      const killedAt = Date.now();
      const alive = () => {
        try {
          return !/^State:\s+Z/m.test(readFileSync(`/proc/${ffmpeg}/status`, 'utf8'));
        } catch {
          return false;
        }
      };
      while (alive()) {
        expect(Date.now() - killedAt, 'ms until ffmpeg is gone').toBeLessThan(2000);
        await sleep(20);
      }
    } finally {
      app.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
