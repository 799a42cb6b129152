export { opencvCaptureSource, type OpencvCaptureOptions } from './opencv-capture-source.js';
export { toMat } from './to-mat.js';
