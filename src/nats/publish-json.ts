import type { JetStreamClient } from '@nats-io/jetstream';
import { concatMap, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Publishes each value, as JSON, to a subject of a JetStream stream, and passes it on once the
 * stream has stored it: detections, events, anything a consumer elsewhere must not miss. The
 * stream must exist (see `jetstreamManager(nc).streams.add`).
 *
 * @example
 * ```ts
 * cameras.get('door').latest$.pipe(exhaustMap(detect), publishJson(jetstream(nc), 'detections.door')).subscribe();
 * ```
 */
export function publishJson<T>(js: JetStreamClient, subject: string): MonoTypeOperatorFunction<T> {
  return concatMap(async (value) => {
    await js.publish(subject, JSON.stringify(value));
    return value;
  });
}
