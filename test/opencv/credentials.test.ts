import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startTestCamera } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'Pw-7f3a9c-Recognisable';

/** Every process's command line and environment, as `ps e` would show them to any user. */
function everyCommandLine(): string {
  const seen: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const part of ['cmdline', 'environ']) {
      try {
        seen.push(readFileSync(`/proc/${entry}/${part}`, 'utf8').replaceAll('\0', ' '));
      } catch {
        // Gone, or not ours to read.
      }
    }
  }
  return seen.join('\n');
}

describe('credential safety', () => {
  it.each([
    ['the OpenCV source', 'undefined', /capture-process/],
    ['the ffmpeg source', 'ffmpegCaptureSource()', /ffmpeg .*-i \/dev\/fd\/3/],
  ])('%s: a full fault scenario with a recognisable password: it appears in no output, error, state, object or command line', async (_, source, captureCommand) => {
    const camera = await startTestCamera({ auth: { user: 'viewer', password: PASSWORD } });
    const wrong = camera.url.replace(encodeURIComponent(PASSWORD), 'Not-The-Password');
    // The application under test prints everything it can get its hands on.
    const script = `
      import { inspect } from 'node:util';
      import { RtspStream } from ${JSON.stringify(`${root}src/opencv/index.ts`)};
      import { ffmpegCaptureSource } from ${JSON.stringify(`${root}src/ffmpeg/index.ts`)};
      const show = (label, value) => console.log(label, JSON.stringify(value), inspect(value, { depth: 6, showHidden: true }));
      const watch = (url, options) => {
        const stream = new RtspStream(url, { source: ${source}, reconnectDelay: 200, maxReconnectDelay: 400, stallTimeout: 1000, ...options,
          onConnect: (info) => show('connect', info),
          onDisconnect: (cause) => show('disconnect', { code: cause.code, message: cause.message, stack: cause.stack }),
          onReconnectFailure: (error) => show('failure', { code: error.code, message: error.message, stack: error.stack, cause: error.cause }),
        });
        stream.connection$.subscribe((state) => show('state', state));
        return stream.start();
      };
      const refused = watch(${JSON.stringify(wrong)}, { maxReconnectAttempts: 1 });
      const good = watch(${JSON.stringify(camera.url.replace(`:${encodeURIComponent(PASSWORD)}@`, '@'))}, { credentials: { username: 'viewer', password: ${JSON.stringify(PASSWORD)} } });
      process.stdin.on('data', (command) => {
        if (String(command).trim() === 'stop') { show('streams', [refused, good]); refused.stop(); good.stop(); show('after', good); setTimeout(() => process.exit(0), 500); }
      });
      setInterval(() => good.read() && show('frame', { sequence: good.read().sequence }), 1000);
    `;
    // The application's code sits in a file, as an application's configuration would: not in its argv.
    const file = join(mkdtempSync(join(tmpdir(), 'rtsp-rx-app-')), 'app.mts');
    writeFileSync(file, script);
    const app = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, NODE_DEBUG: 'rtsp-rx' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    app.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const until = async (what: RegExp | (() => boolean), timeout: number) => {
      const deadline = Date.now() + timeout;
      while (what instanceof RegExp ? !what.test(output) : !what()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const commandLines: string[] = [];
    try {
      const framesShown = () => output.match(/^frame /gm)?.length ?? 0;
      // Paused only once frames flow: before the first one, firstFrameTimeout rules, not stallTimeout.
      await until(() => framesShown() > 0, 15_000);
      commandLines.push(everyCommandLine());
      camera.pause();
      await until(/STALLED/, 8000);
      camera.resume();
      await camera.kill();
      await until(/ENDED|ECONNRESET|ECONNREFUSED/, 5000);
      commandLines.push(everyCommandLine());
      await camera.restart();
      await until(/^failure /m, 15_000);
      const connects = () => output.match(/^connect /gm)?.length ?? 0;
      const framesBefore = framesShown();
      await until(() => framesShown() > framesBefore, 15_000);
      const before = connects();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(before).toBeGreaterThanOrEqual(1);
      app.stdin.write('stop\n');
      await new Promise((resolve) => app.once('exit', resolve));
    } finally {
      app.kill('SIGKILL');
      await camera.close();
    }
    expect(output).toMatch(/401 Unauthorized/);
    expect(output).toMatch(/UNAUTHORIZED/);
    expect(output).toMatch(/RTSP-RX \d+: /);
    expect(output).toMatch(/rtsp:\/\/viewer:\*\*\*@127\.0\.0\.1/);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(encodeURIComponent(PASSWORD));
    expect(output).not.toContain('Not-The-Password');
    expect(commandLines.join('\n')).toMatch(captureCommand);
    expect(commandLines.join('\n')).not.toContain(PASSWORD);
  }, 90_000);
});
