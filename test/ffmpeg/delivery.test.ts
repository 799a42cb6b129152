import { ffmpegCaptureSource } from '../../src/ffmpeg/index.js';
import { deliveryContract } from '../capture/delivery-contract.js';

deliveryContract({ name: 'the ffmpeg capture source', make: (options) => ffmpegCaptureSource(options) });
