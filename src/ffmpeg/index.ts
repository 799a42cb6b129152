export { ffmpegCaptureSource, type FfmpegCaptureOptions } from './ffmpeg-capture-source.js';
