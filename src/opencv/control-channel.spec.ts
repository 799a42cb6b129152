import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openControlChannel } from './control-channel.js';

const CREDIT_MESSAGES = 100_000;
const channelModule = fileURLToPath(new URL('./control-channel.ts', import.meta.url));

/**
 * A process that reads its stdin the way the capture process does: the settings, a pause (the
 * addon loading, the camera opening), then credit for as long as it lives. It says `taking`
 * once it takes credit, and reports what it was granted when stdin closes.
 */
const reader = `
  import { openControlChannel } from ${JSON.stringify(channelModule)};
  let granted = 0;
  let grants = 0;
  const channel = openControlChannel(process.stdin, () => {
    process.stdout.write(JSON.stringify({ url, granted, grants }));
    process.exit(0);
  });
  const { url } = await channel.settings;
  await new Promise((resolve) => setTimeout(resolve, 300));
  channel.onCredit((frames) => { granted += frames; grants++; });
  process.stdout.write('taking\\n');
`;

describe('openControlChannel', () => {
  it(`hands on ${CREDIT_MESSAGES.toLocaleString('en')} credit messages over a real pipe, none lost and stdin never paused`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', reader], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();

    child.stdin.write(`${JSON.stringify({ url: 'rtsp://127.0.0.1:8554/cam' })}\n`);
    const credit = '{"type":"credit","frames":1}\n';
    const send = async (messages: number) => {
      for (let sent = 0; sent < messages; sent++) {
        // A paused reader fills the pipe and this wait never ends: the test times out.
        if (!child.stdin.write(credit)) await once(child.stdin, 'drain');
      }
    };
    // Half while the reader pauses (kept for it), half once it takes credit; the end only then,
    // or a fast pipe closes the channel before anyone took anything.
    await send(CREDIT_MESSAGES / 2);
    while (!output.startsWith('taking\n')) await once(child.stdout, 'data');
    await send(CREDIT_MESSAGES / 2);
    child.stdin.end();
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(0);
    expect(JSON.parse(output.slice('taking\n'.length))).toMatchObject({ url: 'rtsp://127.0.0.1:8554/cam', granted: CREDIT_MESSAGES });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('keeps the credit that came before anyone took it', async () => {
    const input = new PassThrough();
    let closed = false;
    const channel = openControlChannel(input, () => (closed = true));
    input.write('{"url":"rtsp://127.0.0.1/cam"}\n{"type":"credit","frames":2}\n{"type":"credit","frames":3}\n');
    expect(await channel.settings).toEqual({ url: 'rtsp://127.0.0.1/cam' });
    const grants: number[] = [];
    channel.onCredit((frames) => grants.push(frames));
    input.end('{"type":"credit","frames":1}\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(grants).toEqual([5, 1]);
    expect(closed).toBe(true);
  });

  it('gives no settings when the channel closes before them', async () => {
    const input = new PassThrough();
    const channel = openControlChannel(input, () => undefined);
    input.end();
    expect(await channel.settings).toBeUndefined();
  });
});
