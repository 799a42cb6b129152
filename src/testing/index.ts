export { fakeCaptureSource, type FakeAttempt, type FakeCaptureSource, type FakeCaptureSourceOptions } from './fake-capture-source.js';
