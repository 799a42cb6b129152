/**
 * A NestJS application with rtsp-rx's cameras and the ready-made endpoints:
 *
 *   RTSP_URLS=rtsp://127.0.0.1:8554/cam PORT=3000 npx tsx examples/nestjs/main.ts
 *
 *   GET /cameras                    the cameras and their state
 *   GET /cameras/cam0/state         connection state as Server-Sent Events
 *   GET /cameras/cam0/snapshot.jpg  the newest picture
 *   GET /cameras/cam0/live.mjpeg    the live picture, for an <img> tag
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RtspModule, type RtspModuleOptions } from '../../src/nestjs/index.js';
import { CamerasController } from './cameras.controller.js';

/** Cameras `cam0`, `cam1`, … from the comma-separated `RTSP_URLS`, encoded to JPEG where they are decoded. */
function camerasFromEnvironment(): RtspModuleOptions {
  const urls = (process.env['RTSP_URLS'] ?? process.env['RTSP_URL'] ?? 'rtsp://127.0.0.1:8554/cam').split(',');
  return { cameras: Object.fromEntries(urls.map((url, index) => [`cam${index}`, { url, pixelFormat: 'jpeg', maxFps: 15, releaseGrace: 0 }])) };
}

@Module({
  imports: [RtspModule.forRootAsync({ useFactory: camerasFromEnvironment })],
  controllers: [CamerasController],
})
class AppModule {}

// forceCloseConnections: an MJPEG viewer that stopped reading must not hold up shutdown.
const app = await NestFactory.create(AppModule, { logger: ['log', 'warn', 'error'], forceCloseConnections: true });
app.enableShutdownHooks();
await app.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1');
console.log(`listening on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}`);
