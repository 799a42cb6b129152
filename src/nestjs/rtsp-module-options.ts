import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CaptureSource } from '../capture-source.js';
import type { OpencvCaptureOptions } from '../opencv/opencv-capture-source.js';
import type { CameraConfig } from '../rtsp-cameras.js';

/**
 * One camera of {@link RtspModuleOptions}: a camera of the registry (`rtspCameras`), and, as a
 * shorthand for a `source` of its own, the options of `opencvCaptureSource`.
 *
 * @example
 * ```ts
 * const door: RtspCameraConfig = { url: 'rtsp://127.0.0.1:8554/door', pixelFormat: 'jpeg', maxFps: 10, stallTimeout: 3000 };
 * ```
 */
export interface RtspCameraConfig extends CameraConfig, Omit<OpencvCaptureOptions, 'log'> {}

/**
 * The configuration of `RtspModule`: cameras by name, and the capture source they share. The
 * names appear in routes and logs, so they are letters, digits, `-` and `_`.
 *
 * @example
 * ```ts
 * const options: RtspModuleOptions = {
 *   cameras: { door: { url: 'rtsp://127.0.0.1:8554/door' }, yard: { url: 'rtsp://127.0.0.1:8554/yard', reconnectDelay: 2000 } },
 * };
 * ```
 */
export interface RtspModuleOptions {
  /** The capture source of every camera that names none of its own. Default: `opencvCaptureSource()`. */
  readonly source?: CaptureSource;
  readonly cameras: Readonly<Record<string, RtspCameraConfig>>;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: RTSP_MODULE_OPTIONS } = new ConfigurableModuleBuilder<RtspModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, { isGlobal }) => ({ ...definition, global: isGlobal }))
  .build();
