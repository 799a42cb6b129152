export { RtspCameras, type RtspCamera } from './rtsp-cameras.js';
export type { RtspCameraConfig, RtspModuleOptions } from './rtsp-module-options.js';
export { RtspModule } from './rtsp.module.js';
