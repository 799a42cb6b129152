import type { KV } from '@nats-io/kv';
import { Observable } from 'rxjs';
import type { ConnectionStateMessage } from '../connection-state-message.js';

/**
 * A camera's state as another process published it with {@link publishState}: the current
 * one at once, from the KV bucket, then each change. Unsubscribing stops the watch.
 *
 * @example
 * ```ts
 * cameraState$(kv, 'door').subscribe((state) => console.log(state.status)); // connected, reconnecting, connecting, connected
 * ```
 */
export function cameraState$(kv: KV, key: string): Observable<ConnectionStateMessage> {
  return new Observable<ConnectionStateMessage>((subscriber) => {
    let stop: (() => void) | undefined;
    let stopped = false;
    kv.watch({ key })
      .then(async (watch) => {
        stop = () => watch.stop();
        if (stopped) return stop();
        // After the server restarts, the watch gives the current entry again: each revision once.
        let seen = 0;
        for await (const entry of watch) {
          if (entry.operation !== 'PUT' || entry.revision <= seen) continue;
          seen = entry.revision;
          subscriber.next(entry.json<ConnectionStateMessage>());
        }
        subscriber.complete();
      })
      .catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      stop?.();
    };
  });
}
