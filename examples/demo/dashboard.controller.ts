import { Controller, Get, Header, Inject, Sse, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { defer, ignoreElements, interval, map, merge, mergeMap, ReplaySubject, share, skipWhile, Subscription, type Observable } from 'rxjs';
import { connectionStateMessage, type CameraMetrics, type ConnectionStateMessage, type Frame } from '../../src/index.js';
import { RtspCameras } from '../../src/nestjs/index.js';
import { loadOpenCv } from '../../src/opencv/index.js';
import { readStamp, type Stamp } from '../../src/testing/index.js';
import type { FaultSchedule } from './faults.js';

/** The {@link DemoSetup}. */
export const DEMO_SETUP = Symbol('DEMO_SETUP');
/** The fault schedule, or `undefined` when faults are off. */
export const FAULTS = Symbol('FAULTS');

/** What the page is built from, written into it: so it shows no field before it knows its value. */
export interface DemoSetup {
  /** In the order the page shows them, left to right. */
  readonly cameras: ReadonlyArray<{
    readonly name: string;
    /** The camera's URL, password masked. */
    readonly address: string;
    /** What the demo does with it, in a few words. */
    readonly role: string;
    /** Whether its frames carry the simulator's stamp, so their latency can be measured. */
    readonly stamped: boolean;
  }>;
  readonly faults: { readonly camera: string; readonly everySeconds: number; readonly names: readonly string[] } | null;
}

/** A camera's state change, as the page lists it. */
export interface StateChange {
  readonly camera: string;
  readonly at: number;
  readonly state: ConnectionStateMessage;
}

/** One camera's figures, sent once a second. */
export interface CameraFigures {
  /** Frames delivered in the last second. */
  readonly fps: number;
  /** Median time from the simulator sending a frame to this process having it, over the last second, in ms; from the stamps. */
  readonly latency: number | null;
  /** Frames delivered since the camera opened. */
  readonly frames: number;
  /** When the newest frame was decoded (its `capturedAt`): how old the picture on the page is. */
  readonly lastFrameAt: number | null;
  /** The stamp read from the newest stamped frame. */
  readonly stamp: Stamp | null;
  readonly reconnects: number;
}

/** What the dashboard gets once a second. */
export interface DashboardStats {
  /** This process's clock when it sent them, for the page to reckon ages with. */
  readonly at: number;
  readonly cameras: Readonly<Record<string, CameraFigures>>;
  readonly faults: FaultSchedule | null;
}

// Read by the addon as it loads: keep V8's memory accounting out of it (what crashes V8 with several cameras).
process.env['OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING'] = '1';
const cv = loadOpenCv();

const PAGE = readFileSync(new URL('./dashboard.html', import.meta.url), 'utf8');

/** How many state changes of each camera a page gets when it opens. */
const HISTORY_LENGTH = 12;

/**
 * The stamp the simulator drew on the frame. The JPEG is decoded at a quarter size in gray,
 * on libuv's pool: about a millisecond, off the event loop.
 */
async function stampOf(frame: Frame): Promise<Stamp | undefined> {
  const picture = await cv.imdecodeAsync(frame.data, cv.IMREAD_REDUCED_GRAYSCALE_4);
  const stamp = readStamp({ data: picture.getData(), width: picture.cols, height: picture.rows, channels: 1 });
  picture.release();
  return stamp;
}

const median = (values: readonly number[]) => (values.length === 0 ? null : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);

/** The stamps one camera's frames carried: read as frames come, read out once a second. */
class StampTally {
  #latencies: number[] = [];
  #stamp: Stamp | null = null;

  stamped(stamp: Stamp, arrivedAt: number): void {
    this.#latencies.push(arrivedAt - stamp.sentAt);
    // Stamps are read two at a time and may finish out of order; a restarted simulator counts from 0 again.
    if (this.#stamp === null || stamp.sentAt > this.#stamp.sentAt) this.#stamp = stamp;
  }

  /** The last second's figures, with the camera's own metrics; the next second starts. */
  readOut({ fps, frames, lastFrameAt, frameAge, reconnects }: CameraMetrics): CameraFigures {
    const figures = { fps, latency: median(this.#latencies), frames, lastFrameAt: lastFrameAt === undefined ? null : lastFrameAt - (frameAge ?? 0), stamp: this.#stamp, reconnects };
    this.#latencies = [];
    return figures;
  }
}

/**
 * The dashboard page and, as one stream of Server-Sent Events, what it shows: each camera's
 * state changes and, once a second, the figures. The pictures come from CamerasController.
 */
@Controller()
export class DashboardController implements OnModuleDestroy {
  readonly #page: string;
  readonly #stats$: Observable<MessageEvent>;
  readonly #histories: ReadonlyArray<ReplaySubject<StateChange>>;
  readonly #watching = new Subscription();

  constructor(@Inject(RtspCameras) cameras: RtspCameras, @Inject(DEMO_SETUP) setup: DemoSetup, @Inject(FAULTS) faults: { schedule(): FaultSchedule } | undefined) {
    // `<` escaped, so no value can close the script element it is written into.
    this.#page = PAGE.replace('"DEMO_SETUP"', JSON.stringify(setup).replaceAll('<', '\\u003c'));

    // Kept from the start, so a page opened after an outage still shows it.
    this.#histories = setup.cameras.map(({ name }) => {
      const history = new ReplaySubject<StateChange>(HISTORY_LENGTH);
      this.#watching.add(
        cameras
          .connection$(name)
          .pipe(
            // Closed is where a camera starts, before its first attempt: no change worth listing.
            skipWhile((state) => state.status === 'closed'),
            map((state) => ({ camera: name, at: Date.now(), state: connectionStateMessage(state) })),
          )
          .subscribe(history),
      );
      return history;
    });

    // Taking frames for the figures only while a page is open: the capture encodes no JPEG nobody looks at.
    this.#stats$ = defer(() => {
      const tallies = new Map(setup.cameras.map(({ name }) => [name, new StampTally()]));
      const counting = setup.cameras.map(({ name, stamped }) => {
        const tally = tallies.get(name)!;
        const arrivals$ = cameras.frames$(name).pipe(map((frame) => ({ frame, arrivedAt: Date.now() })));
        if (!stamped) return arrivals$;
        return arrivals$.pipe(
          mergeMap(async ({ frame, arrivedAt }) => {
            const stamp = await stampOf(frame);
            if (stamp !== undefined) tally.stamped(stamp, arrivedAt);
          }, 2),
        );
      });
      const figures$ = interval(1000).pipe(
        map((): MessageEvent => {
          const stats: DashboardStats = {
            at: Date.now(),
            cameras: Object.fromEntries([...tallies].map(([name, tally]) => [name, tally.readOut(cameras.get(name).metrics)])),
            faults: faults?.schedule() ?? null,
          };
          return { type: 'stats', data: stats };
        }),
      );
      return merge(merge(...counting).pipe(ignoreElements()), figures$);
    }).pipe(share());
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.#page;
  }

  @Sse('demo/events')
  events(): Observable<MessageEvent> {
    return merge(...this.#histories.map((history) => history.pipe(map((data): MessageEvent => ({ type: 'state', data })))), this.#stats$);
  }

  onModuleDestroy(): void {
    this.#watching.unsubscribe();
  }
}
