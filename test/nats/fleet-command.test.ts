import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { openFleet } from '../../src/nats/index.js';
import { startNatsServer, startTestCamera, type TestCamera, type TestNatsServer } from '../../src/testing/index.js';
import { runRtspRx, startRtspRx } from '../cli-process.js';

const PASSWORD = 'Fleet-5b1e-Secret';
const scratch = mkdtempSync(join(tmpdir(), 'rtsp-rx-fleet-'));
let nats: TestNatsServer;
let camera: TestCamera;

beforeAll(async () => {
  [nats, camera] = await Promise.all([startNatsServer(), startTestCamera({ width: 320, height: 240, fps: 10, auth: { user: 'viewer', password: PASSWORD } })]);
});
afterAll(async () => Promise.all([nats?.close(), camera?.close()]));

describe('the rtsp-rx fleet and worker commands', () => {
  it('fleet add, list and remove, and a worker that captures what is added, stops what is removed, and drains on Ctrl-C', async () => {
    const url = camera.url.replace(`viewer:${encodeURIComponent(PASSWORD)}@`, '');
    const credentials = { RTSP_RX_USERNAME: 'viewer', RTSP_RX_PASSWORD: PASSWORD };
    const added = await runRtspRx(['fleet', '--nats', nats.url, 'add', 'door', url], scratch, credentials);
    expect(added, added.output).toMatchObject({ code: 0, output: `door: ${url} in the fleet\n` });
    const refused = await runRtspRx(['fleet', '--nats', nats.url, 'add', 'front door', url], scratch);
    expect(refused.code).toBe(2);

    const worker = startRtspRx(['worker', '--nats', nats.url, '--id', 'cli1', '--capacity', '5'], scratch, false);
    try {
      await worker.until(/rtsp-rx worker: door: captured \(lease \d+\)/);
      let listed = '';
      for (let tries = 0; !/connected on cli1/.test(listed) && tries < 50; tries++) listed = (await runRtspRx(['fleet', '--nats', nats.url, 'list'], scratch)).output;
      expect(listed).toMatch(new RegExp(`^door: rtsp://viewer:\\*\\*\\*@127\\.0\\.0\\.1:${camera.port}/cam; connected on cli1, \\d+ frames\\n$`));
      // An entry the registry refuses, written by hand: said once, and left alone.
      const nc = await connect({ servers: nats.url });
      await (await openFleet(nc)).cameras.put('broken', JSON.stringify({ url, stallTimeout: -1 }));
      await nc.close();
      await worker.until(/broken: cannot be captured: rtsp-rx: rtspCameras camera broken: option stallTimeout must be/);
      expect((await runRtspRx(['fleet', '--nats', nats.url, 'list'], scratch)).output).toMatch(/^broken: .*; not captured$/m);
      expect((await runRtspRx(['fleet', '--nats', nats.url, 'remove', 'broken'], scratch)).output).toBe('broken: removed\n');
      expect((await runRtspRx(['fleet', '--nats', nats.url, 'remove', 'door'], scratch)).output).toBe('door: removed\n');
      await worker.until(/door: stopped \(removed from the fleet\)/);
      expect((await runRtspRx(['fleet', '--nats', nats.url, 'list'], scratch)).output).toBe('no cameras\n');
      expect(await worker.interrupt()).toBe(0);
      expect(worker.output()).toMatch(/worker cli1: drained/);
      expect(worker.output()).not.toContain(PASSWORD);
    } finally {
      await worker.interrupt();
    }
  }, 60_000);
});
