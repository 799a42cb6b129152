import { createRequire } from 'node:module';
import { CAPTURE_PROCESS } from './capture-process-location.js';

type OpenCv = typeof import('@u4/opencv4nodejs').default;

/**
 * Loads `@u4/opencv4nodejs` quietly: without the coloured `Info:` lines it prints on every
 * load, and without trying to download or build OpenCV when its build is missing
 * (`OPENCV4NODEJS_DISABLE_AUTOBUILD`, unless you set it otherwise). For {@link toMat} and your
 * own OpenCV calls in the application; the capture process loads it the same way.
 *
 * @throws whatever loading the addon throws, such as `Cannot find module` when it is not installed.
 *
 * @example
 * ```ts
 * const cv = loadOpenCv();
 * console.log(cv.version); // { major: 4, minor: 6, revision: 0 }
 * ```
 */
export function loadOpenCv(): OpenCv {
  process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';
  // Resolved from this package, where the capture process resolves it too.
  const fromHere = createRequire(CAPTURE_PROCESS);
  // The addon's logger lives in its own dependency: silence that very instance.
  const fromAddon = createRequire(fromHere.resolve('@u4/opencv4nodejs'));
  (fromAddon('@u4/opencv-build') as { Log: { silence: boolean } }).Log.silence = true;
  return fromAddon('@u4/opencv4nodejs') as OpenCv;
}
