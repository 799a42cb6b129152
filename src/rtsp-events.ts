import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  EMPTY,
  finalize,
  first,
  mergeMap,
  NEVER,
  Observable,
  of,
  race,
  retry,
  Subject,
  takeUntil,
  tap,
  throwError,
  timer,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { match } from 'ts-pattern';
import type { CaptureEvent, RtspEvent, StreamInfo } from './capture-source.js';
import { INITIAL_MACHINE, nextConnection, type ConnectionSignal, type ConnectionState } from './connection-state.js';
import { RtspError, toRtspError } from './errors.js';
import { captureWatchdog } from './operators/capture-watchdog.js';
import { cameraAddress } from './camera-address.js';
import { logState } from './logger.js';
import { resolveOptions, type ResolvedOptions, type RtspOptions } from './options.js';

/**
 * A cold Observable of one connection's events: each subscriber opens its own camera through
 * `options.source`, and unsubscribing releases it.
 *
 * Emits `connecting`, then `connected` and frames. When an attempt fails (drop, refusal,
 * `OPEN_TIMEOUT`, `STALLED`) it emits `reconnecting` with the delay and cause, waits, and
 * tries again, with exponential back-off. It completes after a `failed` state (reconnect
 * attempts exhausted) or a `closed` one (the source ended); it never errors.
 *
 * Options are checked at once: a bad one throws here, not on subscribe.
 *
 * @throws TypeError or RangeError naming the option, for a bad URL or option.
 *
 * @example
 * ```ts
 * rtspEvents$('rtsp://127.0.0.1:8554/cam', { source }).subscribe((event) =>
 *   event.type === 'state' ? console.log(describeState(event.state)) : draw(event.frame),
 * ); // connecting, connected 1920x1080 @ 25 fps h264, then frames drawn
 * ```
 */
export function rtspEvents$(url: string, options: RtspOptions, scheduler: SchedulerLike = asyncScheduler): Observable<RtspEvent> {
  return connectionEvents$(resolveOptions('rtspEvents$', cameraAddress('rtspEvents$', url), options, scheduler), scheduler);
}

/** Like {@link rtspEvents$}, for options already checked. */
export function connectionEvents$(options: ResolvedOptions, scheduler: SchedulerLike): Observable<RtspEvent> {
  return defer(() => connect(options, scheduler));
}

/** One subscriber's connection: the attempt loop, with its state and frame count. */
function connect(options: ResolvedOptions, scheduler: SchedulerLike): Observable<RtspEvent> {
  let machine = INITIAL_MACHINE;
  let sequence = 0;
  /** The last capture that stalled after delivering frames, kept open while the next attempt opens. */
  let standby: Standby | undefined;
  const transition = (signal: ConnectionSignal): ConnectionState => (machine = nextConnection(machine, signal, options.reconnect)).state;
  const stateEvent = (signal: ConnectionSignal): RtspEvent => ({ type: 'state', state: transition(signal) });
  const dropStandby = (): void => {
    standby?.release();
    standby = undefined;
  };

  const toEvents = (event: CaptureEvent): RtspEvent[] =>
    match(event)
      .returnType<RtspEvent[]>()
      .with({ type: 'opened' }, ({ info }) => [stateEvent({ type: 'opened', info, at: scheduler.now() })])
      .with({ type: 'frame' }, ({ frame }) => {
        // Whichever capture delivers first wins: a stalled one that is still waiting loses.
        dropStandby();
        transition({ type: 'frame' });
        return [{ type: 'frame', frame: { ...frame, sequence: ++sequence } }];
      })
      // A picture that was not sent for a good reason (the watchdog passes on no other kind)
      // proves the connection works as well as a frame.
      .with({ type: 'heartbeat' }, () => {
        transition({ type: 'frame' });
        return [];
      })
      .exhaustive();

  /**
   * One capture under the watchdog, `replayed` events first. A capture that stalls after
   * delivering frames is not released but kept on standby: a camera that pauses and resumes
   * goes on over the same session, at once, while a new attempt could take seconds to open.
   */
  const watched = (capture: HeldCapture, replayed: readonly CaptureEvent[]): Observable<RtspEvent> =>
    new Observable<RtspEvent>((subscriber) => {
      let delivered = replayed.some((event) => event.type === 'frame');
      let kept = false;
      const events = concat(replayed, capture.events$)
        .pipe(captureWatchdog(options.watchdog, scheduler), mergeMap(toEvents))
        .subscribe({
          next: (event) => {
            if (event.type === 'frame') delivered = true;
            subscriber.next(event);
          },
          error: (error: unknown) => {
            if (delivered && error instanceof RtspError && error.code === 'STALLED') {
              dropStandby();
              standby = new Standby(capture);
              kept = true;
            }
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        });
      capture.connect();
      return () => {
        events.unsubscribe();
        if (!kept) capture.release();
      };
    });

  const ended$ = defer(() => of(stateEvent({ type: 'ended' })));

  /** Takes the standby back once its camera resumed: no new session, no `connecting`. */
  const resume = (held: Standby, frame: CaptureEvent): Observable<RtspEvent> => {
    standby = undefined;
    return concat(watched(held.capture, [{ type: 'opened', info: held.capture.info }, frame]), ended$);
  };

  const attempt$ = defer(() => {
    const held = standby;
    if (held?.resumedWith !== undefined) return resume(held, held.resumedWith);
    const connecting = stateEvent({ type: 'attempt' });
    const capture = new HeldCapture(defer(() => options.source.open({ address: options.address, attempt: machine.attempt, demand$: options.watchdog.demand$ })));
    const fresh$ = concat(of(connecting), watched(capture, []), ended$);
    if (held === undefined) return fresh$;
    // The stalled capture may still resume before this one delivers: then it goes on instead.
    return concat(
      fresh$.pipe(takeUntil(held.resumed$)),
      defer(() => (held.resumedWith !== undefined && standby === held ? resume(held, held.resumedWith) : EMPTY)),
    );
  }).pipe(
    catchError((thrown: unknown) => {
      const cause = toRtspError(thrown, options.address.scrub);
      const state = transition({ type: 'fault', cause });
      const announce = of<RtspEvent>({ type: 'state', state });
      // The cause goes on to `retry`, which waits out the delay the state announced.
      return state.status === 'reconnecting' ? concat(announce, throwError(() => cause)) : announce;
    }),
  );

  return attempt$.pipe(
    tap((event) => event.type === 'state' && logState(options.logger, event.state, options.address.redacted)),
    retry({
      delay: (cause: RtspError) =>
        match(machine.state)
          // A standby whose camera resumes cuts the wait short.
          .with({ status: 'reconnecting' }, ({ delay }) => race<unknown[]>(timer(delay, scheduler), standby?.resumed$ ?? NEVER))
          .otherwise(() => throwError(() => cause)),
    }),
    finalize(dropStandby),
  );
}

/** One attempt's capture, subscribed once, so that it can outlive the pipeline that watched it. */
class HeldCapture {
  readonly events$ = new Subject<CaptureEvent>();
  /** The stream info it last announced. */
  info: StreamInfo = { width: 0, height: 0, fps: undefined };
  #connection: Subscription | undefined;

  constructor(private readonly open$: Observable<CaptureEvent>) {}

  connect(): void {
    this.#connection ??= this.open$
      .pipe(tap((event) => event.type === 'opened' && (this.info = event.info)))
      .subscribe(this.events$);
  }

  release(): void {
    this.#connection?.unsubscribe();
  }
}

/** A capture that stalled, kept open in case its camera resumes: its first new frame wins. */
class Standby {
  /** Emits when the capture delivers a frame again. */
  readonly resumed$ = new Subject<void>();
  resumedWith: CaptureEvent | undefined;
  readonly #watching: Subscription;

  constructor(readonly capture: HeldCapture) {
    this.#watching = capture.events$.pipe(first((event) => event.type === 'frame', undefined)).subscribe({
      next: (frame) => {
        if (frame === undefined) return this.release();
        this.resumedWith = frame;
        this.resumed$.next();
      },
      // A standby that dies was already reported as stalled: nothing more to tell.
      error: () => this.release(),
    });
  }

  release(): void {
    this.#watching.unsubscribe();
    this.capture.release();
  }
}
