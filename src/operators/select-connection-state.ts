import { filter, map, pipe, type OperatorFunction } from 'rxjs';
import type { ConnectionState } from '../connection-state.js';
import type { RtspEvent } from '../capture-source.js';

/**
 * Keeps the connection states of a connection's events.
 *
 * ```
 * events:  c-k-a-b-r--c-F|       c k r F = states, a b = frames
 * selectConnectionState()
 * result:  c-k-----r--c-F|
 * ```
 *
 * @example
 * ```ts
 * rtspEvents$(url, { source }).pipe(selectConnectionState()).subscribe((state) => console.log(state.status)); // 'connecting', 'connected'
 * ```
 */
export function selectConnectionState(): OperatorFunction<RtspEvent, ConnectionState> {
  return pipe(
    filter((event): event is Extract<RtspEvent, { type: 'state' }> => event.type === 'state'),
    map((event) => event.state),
  );
}
