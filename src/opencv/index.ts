export { opencvCaptureSource, type OpencvCaptureOptions } from './opencv-capture-source.js';
export { RtspStream, type RtspStreamOptions } from './rtsp-stream.js';
export { toMat } from './to-mat.js';
export { loadOpenCv } from './load-opencv.js';
