/**
 * The rtsp-rx demo: two cameras side by side, a NestJS server and a dashboard in the browser.
 * Camera `demo` is the stamped camera simulator, broken on schedule; the camera beside it is
 * left alone, so you see that one camera's outage never touches another.
 *
 *   npm run demo                              `demo` broken every 20 s, `steady` (a second simulator) left alone
 *   npm run demo -- --no-faults               both simulators left alone
 *   RTSP_URL=rtsp://… npm run demo            a camera of your own, `yours`, in place of `steady` (no stamps,
 *                                             so no latency; never broken), beside `demo`
 *   npm run demo -- --port 8080 --fault-every 20
 *
 * It prints the address to open, and stops cleanly on SIGINT (Ctrl-C) or SIGTERM: cameras
 * released, simulators closed, exit code 0.
 */
import 'reflect-metadata';
import { ConsoleLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { redactUrl } from '../../src/index.js';
import { RtspModule } from '../../src/nestjs/index.js';
import { startTestCamera } from '../../src/testing/index.js';
import { CamerasController } from '../nestjs/cameras.controller.js';
import { DashboardController, DEMO_SETUP, FAULTS, type DemoSetup } from './dashboard.controller.js';
import { breakInTurn, FAULT_NAMES } from './faults.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    'fault-every': { type: 'string', default: '20' },
    'no-faults': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const faultEvery = Number(values['fault-every']);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`--port must be a port number; got ${values.port}`);
if (!(faultEvery >= 6)) throw new RangeError(`--fault-every must be 6 seconds or more; got ${values['fault-every']}`);

/** hh:mm:ss on a 24-hour clock: Node's `hour12: false` says 24:59:00 for a minute to one. */
const clockTime = (date: Date) => [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
const log = (line: string) => console.log(`${clockTime(new Date())}  ${line}`);

const ownUrl = process.env['RTSP_URL'];
const startSimulator = () => startTestCamera({ width: 640, height: 480, fps: 25, gop: 25 });
const [broken, untouched] = await Promise.all([startSimulator(), ownUrl === undefined ? startSimulator() : undefined]);
const simulators = untouched ? [broken, untouched] : [broken];
const faults = values['no-faults'] ? undefined : breakInTurn(broken, 'demo', faultEvery * 1000, log);

const cameras = [
  { name: 'demo', url: broken.url, stamped: true, role: faults ? 'simulator, broken on schedule' : 'simulator, left alone' },
  untouched
    ? { name: 'steady', url: untouched.url, stamped: true, role: 'simulator, left alone' }
    : { name: 'yours', url: ownUrl!, stamped: false, role: 'your camera (RTSP_URL), left alone' },
];
const setup: DemoSetup = {
  cameras: cameras.map(({ url, ...camera }) => ({ ...camera, address: redactUrl(url) })),
  faults: faults ? { camera: 'demo', everySeconds: faultEvery, names: FAULT_NAMES } : null,
};
const CAMERA_OPTIONS = { pixelFormat: 'jpeg', jpegQuality: 80, reconnectDelay: 500, maxReconnectDelay: 4000, stallTimeout: 2000, maxReconnectAttempts: Infinity } as const;

@Module({
  imports: [RtspModule.forRoot({ cameras: Object.fromEntries(cameras.map(({ name, url }) => [name, { url, ...CAMERA_OPTIONS }])) })],
  controllers: [CamerasController, DashboardController],
  providers: [
    { provide: FAULTS, useValue: faults },
    { provide: DEMO_SETUP, useValue: setup },
  ],
})
class DemoModule {}

/** Nest's log lines, with the demo's own clock rather than Nest's 12-hour one. */
class DemoLogger extends ConsoleLogger {
  protected override getTimestamp(): string {
    return clockTime(new Date());
  }
}

const app = await NestFactory.create(DemoModule, { logger: new DemoLogger({ logLevels: ['warn', 'error'] }), forceCloseConnections: true });
await app.listen(port, '127.0.0.1');
const address = (await app.getUrl()).replace('[::1]', '127.0.0.1');
for (const camera of setup.cameras) log(`camera ${camera.name}: ${camera.address}, ${camera.role}`);
log(faults ? `faults: camera demo broken every ${faultEvery} s (${FAULT_NAMES.join(', ')} in turn); --no-faults turns them off` : 'faults: off');
log(`open ${address}/ in a browser; Ctrl-C stops`);

let stopping = false;
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  faults?.stop();
  await app.close();
  await Promise.all(simulators.map((simulator) => simulator.close()));
  log(`stopped: cameras released, ${simulators.length === 1 ? 'simulator' : 'simulators'} closed`);
}
