export { captureProcesses, type CaptureProcess } from './capture-processes.js';
export { fakeCaptureSource, type FakeAttempt, type FakeCaptureSource, type FakeCaptureSourceOptions } from './fake-capture-source.js';
export { lateKeyframeRecording, resolutionChangeRecording } from './recordings.js';
export { readStamp, type Stamp } from './stamp.js';
export { startTestCamera, type TestCamera, type TestCameraOptions } from './test-camera.js';
export { startNatsServer, type TestNatsServer } from './nats-server.js';
