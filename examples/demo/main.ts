/**
 * The rtsp-rx demo: a camera, a NestJS server and a dashboard in the browser.
 *
 *   npm run demo                              the stamped camera simulator, broken every 20 s
 *   npm run demo -- --no-faults               the simulator, left alone
 *   RTSP_URL=rtsp://… npm run demo            a camera of your own (no faults, no stamps)
 *   npm run demo -- --port 8080 --fault-every 20
 *
 * It prints the address to open, and stops cleanly on Ctrl-C.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { redactUrl } from '../../src/index.js';
import { RtspModule } from '../../src/nestjs/index.js';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { CamerasController } from '../nestjs/cameras.controller.js';
import { DashboardController, DEMO_CAMERA, FAULTS } from './dashboard.controller.js';
import { breakInTurn } from './faults.js';

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

const log = (line: string) => console.log(`${new Date().toLocaleTimeString([], { hour12: false })}  ${line}`);

let camera: TestCamera | undefined;
const url = process.env['RTSP_URL'] ?? (camera = await startTestCamera({ width: 640, height: 480, fps: 25, gop: 25 })).url;
const faults = camera !== undefined && !values['no-faults'] ? breakInTurn(camera, faultEvery * 1000, log) : undefined;

@Module({
  imports: [
    RtspModule.forRoot({
      cameras: {
        [DEMO_CAMERA]: { url, pixelFormat: 'jpeg', jpegQuality: 80, reconnectDelay: 500, maxReconnectDelay: 4000, stallTimeout: 2000, maxReconnectAttempts: Infinity },
      },
    }),
  ],
  controllers: [CamerasController, DashboardController],
  providers: [{ provide: FAULTS, useValue: faults }],
})
class DemoModule {}

const app = await NestFactory.create(DemoModule, { logger: ['warn', 'error'], forceCloseConnections: true });
await app.listen(port, '127.0.0.1');
const address = (await app.getUrl()).replace('[::1]', '127.0.0.1');
log(`rtsp-rx demo: camera ${redactUrl(url)}${faults ? `, broken every ${faultEvery} s (stall, kill, restart in turn; --no-faults turns that off)` : ''}`);
log(`open ${address}/ in a browser; Ctrl-C stops`);

let stopping = false;
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  faults?.stop();
  await app.close();
  await camera?.close();
  log('stopped: cameras released, simulator closed');
}
