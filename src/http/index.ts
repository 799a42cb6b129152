export { CameraDemand } from '../camera-demand.js';
export { streamMjpeg } from './stream-mjpeg.js';
