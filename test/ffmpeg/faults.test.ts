import { ffmpegCaptureSource } from '../../src/ffmpeg/index.js';
import { faultMatrix } from '../capture/fault-matrix.js';

faultMatrix({ name: 'the ffmpeg capture source', make: (options) => ffmpegCaptureSource({ ioTimeout: 3000, ...options }) });
