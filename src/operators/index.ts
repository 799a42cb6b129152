export { captureWatchdog, type WatchdogConfig, type WatchdogLimits } from './capture-watchdog.js';
export { selectConnectionState } from './select-connection-state.js';
export { selectFrames } from './select-frames.js';
export { shareConnection } from './share-connection.js';
export type { SharingConfig } from './sharing-config.js';
