import { asyncScheduler, catchError, concat, defer, mergeMap, Observable, of, retry, throwError, timer, type SchedulerLike } from 'rxjs';
import { match } from 'ts-pattern';
import type { Frame } from './capture-source.js';
import { INITIAL_MACHINE, nextConnection, type ConnectionSignal, type ConnectionState } from './connection-state.js';
import { toRtspError } from './errors.js';
import { captureWatchdog } from './operators/capture-watchdog.js';
import { resolveOptions, type ResolvedOptions, type RtspOptions } from './options.js';
import { secretScrubber } from './redact.js';

/**
 * Everything one connection tells: its state changes and its frames, in order.
 *
 * @example
 * ```ts
 * const onEvent = (event: RtspEvent) => (event.type === 'frame' ? draw(event.frame) : show(event.state));
 * ```
 */
export type RtspEvent =
  | { readonly type: 'state'; readonly state: ConnectionState }
  | { readonly type: 'frame'; readonly frame: Frame };

type ReconnectingState = Extract<ConnectionState, { status: 'reconnecting' }>;

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
 * @example
 * ```ts
 * rtspEvents$('rtsp://127.0.0.1:8554/cam', { source }).subscribe((event) =>
 *   event.type === 'state' ? console.log(describeState(event.state)) : draw(event.frame),
 * );
 * ```
 */
export function rtspEvents$(url: string, options: RtspOptions, scheduler: SchedulerLike = asyncScheduler): Observable<RtspEvent> {
  return connectionEvents$(resolveOptions(url, options, scheduler), scheduler);
}

/** Like {@link rtspEvents$}, for options already checked. */
export function connectionEvents$(options: ResolvedOptions, scheduler: SchedulerLike): Observable<RtspEvent> {
  return defer(() => connect(options, scheduler));
}

/** One subscriber's connection: the attempt loop, with its state and frame count. */
function connect(options: ResolvedOptions, scheduler: SchedulerLike): Observable<RtspEvent> {
  const scrub = secretScrubber(options.url);
  let machine = INITIAL_MACHINE;
  let sequence = 0;
  const transition = (signal: ConnectionSignal): ConnectionState => (machine = nextConnection(machine, signal, options)).state;
  const stateEvent = (signal: ConnectionSignal): RtspEvent => ({ type: 'state', state: transition(signal) });

  const attempt$ = defer(() => {
    const connecting = stateEvent({ type: 'attempt' });
    const captured$ = defer(() => options.source.open({ url: options.url, attempt: machine.attempt })).pipe(
      captureWatchdog(options, scheduler),
      mergeMap((event) =>
        match(event)
          .returnType<RtspEvent[]>()
          .with({ type: 'opened' }, ({ info }) => [stateEvent({ type: 'opened', info, at: scheduler.now() })])
          .with({ type: 'frame' }, ({ frame }) => {
            transition({ type: 'frame' });
            return [{ type: 'frame', frame: { ...frame, sequence: ++sequence } }];
          })
          // A picture nobody took still proves the connection works.
          .with({ type: 'heartbeat' }, () => {
            transition({ type: 'frame' });
            return [];
          })
          .exhaustive(),
      ),
    );
    return concat(of(connecting), captured$, defer(() => of(stateEvent({ type: 'ended' }))));
  }).pipe(
    catchError((thrown: unknown) => {
      const state = transition({ type: 'fault', cause: toRtspError(thrown, scrub) });
      const announce = of<RtspEvent>({ type: 'state', state });
      // A reconnecting state goes on to `retry` as the error, and `retry` waits out its delay.
      return state.status === 'reconnecting' ? concat(announce, throwError(() => state)) : announce;
    }),
  );

  return attempt$.pipe(retry({ delay: (reconnecting: ReconnectingState) => timer(reconnecting.delay, scheduler) }));
}
