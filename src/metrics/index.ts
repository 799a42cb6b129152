export { captureProcessUsage, withProcessUsage, type CameraMetricsWithUsage, type ProcessUsage } from './process-usage.js';
export { registerCameraMetrics } from './prometheus.js';
