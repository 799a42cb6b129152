import { Controller, Get, Header, Inject, Sse, type MessageEvent } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { bufferTime, map, mergeMap, share, type Observable } from 'rxjs';
import type { Frame } from '../../src/index.js';
import { RtspCameras } from '../../src/nestjs/index.js';
import { readStamp } from '../../src/testing/index.js';
import type { FaultSchedule } from './faults.js';

export const DEMO_CAMERA = 'demo';
/** The fault schedule, or `undefined` when faults are off. */
export const FAULTS = Symbol('FAULTS');

// Read by the addon as it loads: use the system's OpenCV, and keep V8's memory accounting out
// of it (what crashes V8 with several cameras); so it is imported after they are set.
process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';
process.env['OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING'] = '1';
const { default: cv } = await import('@u4/opencv4nodejs');

const PAGE = readFileSync(new URL('./dashboard.html', import.meta.url), 'utf8');

/** What the dashboard gets once a second. */
export interface DashboardStats {
  /** Frames delivered in the last second. */
  readonly fps: number;
  /** Median time from the camera sending a frame to the application having it, in ms; from the stamps. */
  readonly latency: number | undefined;
  readonly reconnects: number;
  readonly faults: FaultSchedule | undefined;
}

/**
 * The send time drawn on the frame by the simulator. The JPEG is decoded at a quarter size
 * in gray, on libuv's pool: about a millisecond, off the event loop.
 */
async function sentAt(frame: Frame): Promise<number | undefined> {
  const picture = await cv.imdecodeAsync(frame.data, cv.IMREAD_REDUCED_GRAYSCALE_4);
  const stamp = readStamp({ data: picture.getData(), width: picture.cols, height: picture.rows, channels: 1 });
  picture.release();
  return stamp?.sentAt;
}

const median = (values: number[]) => (values.length === 0 ? undefined : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);

/** The dashboard page and its figures; the picture and the state come from CamerasController. */
@Controller()
export class DashboardController {
  readonly #stats$: Observable<MessageEvent>;

  constructor(@Inject(RtspCameras) cameras: RtspCameras, @Inject(FAULTS) faults: { schedule(): FaultSchedule } | undefined) {
    const camera = cameras.get(DEMO_CAMERA);
    this.#stats$ = camera.frames$.pipe(
      mergeMap(async (frame) => {
        const arrivedAt = Date.now();
        const sent = await sentAt(frame);
        return sent === undefined ? undefined : arrivedAt - sent;
      }, 2),
      bufferTime(1000),
      map((latencies): MessageEvent => {
        const data: DashboardStats = {
          fps: latencies.length,
          latency: median(latencies.filter((latency) => latency !== undefined)),
          reconnects: camera.reconnectCount,
          faults: faults?.schedule(),
        };
        return { type: 'stats', data };
      }),
      share(),
    );
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Sse('demo/stats')
  stats(): Observable<MessageEvent> {
    return this.#stats$;
  }
}
