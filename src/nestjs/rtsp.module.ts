import { Module } from '@nestjs/common';
import { RtspCameras } from './rtsp-cameras.js';
import { ConfigurableModuleClass } from './rtsp-module-options.js';

/**
 * Named RTSP cameras for a NestJS application, configured with `forRoot({ cameras })` or
 * `forRootAsync({ useFactory, inject, imports })`; inject {@link RtspCameras} to use them.
 *
 * @example
 * ```ts
 * // at start-up, in Nest's log: [RtspCameras:door] connected 1920x1080 @ 25 fps h264: rtsp://127.0.0.1:8554/door
 * @Module({
 *   imports: [
 *     RtspModule.forRootAsync({
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({ cameras: { door: { url: config.getOrThrow('DOOR_URL'), pixelFormat: 'jpeg' } } }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({ providers: [RtspCameras], exports: [RtspCameras] })
export class RtspModule extends ConfigurableModuleClass {}
