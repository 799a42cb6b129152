import { asyncScheduler, connect, defer, endWith, ignoreElements, interval, map, merge, startWith, takeUntil, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { match } from 'ts-pattern';
import type { RtspEvent } from '../capture-source.js';
import { CLOSED, type ConnectionState } from '../connection-state.js';
import { checkOptions, RULES } from '../validation.js';

/**
 * What a camera delivered and how its connection went, counted from the first event on. Times
 * are on the scheduler's clock (the wall clock unless you pass a scheduler of your own).
 *
 * @example
 * ```ts
 * const metrics: CameraMetrics = { state, stateSince: 1767225600000, frames: 1500, dropped: 3, reconnects: 1, fps: 25,
 *                                  lastFrameAt: 1767225660000, frameAge: 41, lastError: 'ECONNREFUSED: connection refused' };
 * ```
 */
export interface CameraMetrics {
  readonly state: ConnectionState;
  /** When the state began. */
  readonly stateSince: number;
  /** Frames delivered. */
  readonly frames: number;
  /** Pictures the capture decoded and did not deliver, to stay fresh or keep a rate cap (the frames' `dropped`, summed). */
  readonly dropped: number;
  /** Reconnect attempts begun. */
  readonly reconnects: number;
  /** Frames delivered in the last second. */
  readonly fps: number;
  /** When the newest frame was delivered; `undefined` before the first. */
  readonly lastFrameAt: number | undefined;
  /** How old the newest frame was when it was delivered: from its decoding (`capturedAt`) to its delivery, in ms. */
  readonly frameAge: number | undefined;
  /** The cause of the last drop or failure, as `CODE: message`. */
  readonly lastError: string | undefined;
}

/** The figures as they are counted: the metrics, and when each frame of the last second came. */
interface Tally extends Omit<CameraMetrics, 'fps'> {
  readonly recent: readonly number[];
}

const ONE_SECOND = 1000;

const count = (tally: Tally, event: RtspEvent, at: number): Tally =>
  match(event)
    .with({ type: 'frame' }, ({ frame }) => ({
      ...tally,
      frames: tally.frames + 1,
      dropped: tally.dropped + (frame.dropped ?? 0),
      lastFrameAt: at,
      frameAge: at - frame.capturedAt,
      recent: [...tally.recent.filter((time) => at - time < ONE_SECOND), at],
    }))
    .with({ type: 'state' }, ({ state }) => ({
      ...tally,
      state,
      stateSince: at,
      reconnects: tally.reconnects + (state.status === 'connecting' && state.attempt > 0 ? 1 : 0),
      lastError: state.status === 'reconnecting' || state.status === 'failed' ? `${state.cause.code}: ${state.cause.message}` : tally.lastError,
    }))
    .exhaustive();

const readOut = ({ recent, ...metrics }: Tally, at: number): CameraMetrics => ({ ...metrics, fps: recent.filter((time) => at - time < ONE_SECOND).length });

/**
 * Counts a connection's events into {@link CameraMetrics}: the metrics at once (a closed
 * camera that delivered nothing), after every event, and every `every` ms (a second unless
 * told) while the events go on, so that `fps` falls to 0 when frames stop coming. Completes and
 * errors with the events.
 *
 * ```
 * events:  -c-k-a-b---------|   c k = connecting, connected; a b = frames
 * cameraMetrics({ every: 10 })
 * result:  mm-m-m-m--m------|   m = the metrics at once, after c, k, a and b (frames 0, 0, 0, 1, 2), then at the tick
 * ```
 *
 * @throws TypeError or RangeError naming `every`, for anything but a number of ms above 0.
 *
 * @example
 * ```ts
 * rtspEvents$(url, { source }).pipe(cameraMetrics()).subscribe(({ state, fps, frameAge }) => console.log(state.status, fps, frameAge));
 * // closed 0 undefined, connecting 0 undefined, connected 0 undefined, connected 1 38, ... connected 25 41
 * ```
 */
export function cameraMetrics(config: { readonly every?: number } = {}, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<RtspEvent, CameraMetrics> {
  checkOptions('cameraMetrics', config, { every: RULES.period });
  const every = config.every ?? ONE_SECOND;
  return (events$) =>
    defer(() => {
      let tally: Tally = { state: CLOSED, stateSince: scheduler.now(), frames: 0, dropped: 0, reconnects: 0, lastFrameAt: undefined, frameAge: undefined, lastError: undefined, recent: [] };
      const counted$ = events$.pipe(
        map((event) => {
          tally = count(tally, event, scheduler.now());
          return readOut(tally, scheduler.now());
        }),
      );
      const ticks = (until$: typeof counted$) => interval(every, scheduler).pipe(
        map(() => readOut(tally, scheduler.now())),
        takeUntil(until$.pipe(ignoreElements(), endWith(undefined))),
      );
      return counted$.pipe(
        connect((shared$) => merge(shared$, ticks(shared$))),
        startWith(readOut(tally, scheduler.now())),
      );
    });
}
