import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RtspStreamOptions } from '../opencv/rtsp-stream.js';

/**
 * One camera of {@link RtspModuleOptions}: its URL and the options of an `RtspStream`, but for
 * `demand$`, which the module drives from who takes the camera's frames.
 *
 * @example
 * ```ts
 * const door: RtspCameraConfig = { url: 'rtsp://127.0.0.1:8554/door', pixelFormat: 'jpeg', maxFps: 10 };
 * ```
 */
export interface RtspCameraConfig extends Omit<RtspStreamOptions, 'demand$'> {
  readonly url: string;
}

/**
 * The configuration of `RtspModule`: cameras by name. The names appear in routes and logs,
 * so they are letters, digits, `-` and `_`.
 *
 * @example
 * ```ts
 * const options: RtspModuleOptions = {
 *   cameras: { door: { url: 'rtsp://127.0.0.1:8554/door' }, yard: { url: 'rtsp://127.0.0.1:8554/yard', reconnectDelay: 2000 } },
 * };
 * ```
 */
export interface RtspModuleOptions {
  readonly cameras: Readonly<Record<string, RtspCameraConfig>>;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: RTSP_MODULE_OPTIONS } = new ConfigurableModuleBuilder<RtspModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, { isGlobal }) => ({ ...definition, global: isGlobal }))
  .build();
