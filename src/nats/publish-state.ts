import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { concatMap, defer, map, retry, type MonoTypeOperatorFunction } from 'rxjs';
import type { ConnectionState } from '../connection-state.js';
import { connectionStateMessage } from '../connection-state-message.js';

const RETRY_DELAY = 250;

/** Where {@link publishState} publishes: a subject, and a last-value KV bucket if given. */
export interface StateTarget {
  readonly nc: NatsConnection;
  /** Each state, as `connectionStateMessage(state)` JSON. */
  readonly subject: string;
  /** The bucket that keeps each camera's current state, under `key`, for whoever comes later. */
  readonly kv?: KV;
  /** The camera's key in the bucket. Default: the subject. */
  readonly key?: string;
}

/**
 * Publishes each connection state of a camera to a subject, as JSON, and puts it in a
 * last-value KV bucket, so that a subscriber in another process gets the current state at once
 * ({@link cameraState$}) and then each change. The states pass on once published, in order.
 *
 * ```
 * connection$:  c--k------r--k-
 * publishState({ nc, subject: 'cameras.door.state', kv, key: 'door' })
 * result:       c--k------r--k-   each one on the subject and in the bucket before it passes on
 * ```
 *
 * @example
 * ```ts
 * cameras.get('door').connection$.pipe(publishState({ nc, subject: 'cameras.door.state', kv, key: 'door' })).subscribe();
 * ```
 */
export function publishState(target: StateTarget): MonoTypeOperatorFunction<ConnectionState> {
  const key = target.key ?? target.subject;
  return concatMap((state) => {
    const message = JSON.stringify(connectionStateMessage(state));
    target.nc.publish(target.subject, message);
    // While the server is away (a restart, a network blip) the put fails: tried again until it
    // is stored, so the bucket ends with the newest state, and the states keep their order.
    return defer(async () => target.kv?.put(key, message)).pipe(
      retry({ delay: RETRY_DELAY }),
      map(() => state),
    );
  });
}
