import type OpenCv from '@u4/opencv4nodejs';
import type { Mat } from '@u4/opencv4nodejs';
import type { CapturedFrame } from '../capture-source.js';

/** The parts of the `@u4/opencv4nodejs` module that {@link toMat} uses. */
type MatMaker = Pick<typeof OpenCv, 'Mat' | 'CV_8UC1' | 'CV_8UC3' | 'imdecode'>;

/**
 * Wraps a frame's pixels in an OpenCV `Mat` for the OpenCV functions of your choice. Pass
 * the `cv` module you loaded, so that importing rtsp-rx never loads the addon into your
 * process by itself. A `jpeg` frame is decoded; a `yuv420p` frame becomes the one-channel Mat,
 * `height * 3 / 2` rows tall, that `cvtColor(cv.COLOR_YUV2BGR_I420)` takes. The Mat holds native memory: `release()` it
 * when done.
 *
 * @example
 * ```ts
 * const cv = loadOpenCv();
 * frames$.pipe(map((frame) => toMat(frame, cv))).subscribe((mat) => {
 *   const edges = mat.canny(50, 150);
 *   console.log(edges.countNonZero()); // 18234
 *   mat.release();
 *   edges.release();
 * });
 * ```
 */
export function toMat(frame: CapturedFrame, cv: MatMaker): Mat {
  if (frame.pixelFormat === 'jpeg') return cv.imdecode(frame.data);
  // I420 as OpenCV's cvtColor takes it: one plane-stacked channel, half as tall again.
  if (frame.pixelFormat === 'yuv420p') return new cv.Mat(frame.data, frame.data.length / frame.width, frame.width, cv.CV_8UC1);
  return new cv.Mat(frame.data, frame.height, frame.width, frame.channels === 1 ? cv.CV_8UC1 : cv.CV_8UC3);
}
