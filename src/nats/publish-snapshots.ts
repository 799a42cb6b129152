import type { ObjectInfo, ObjectStore } from '@nats-io/obj';
import { asyncScheduler, exhaustMap, throttleTime, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Frame } from '../capture-source.js';
import { checkOptions, checkValue, RULES } from '../validation.js';

/**
 * Stores JPEG frames in a NATS object store under `name`, each replacing the last, at most one
 * every `every` ms: frames that come sooner, or while a store is under way, are skipped. Emits
 * what was stored. The frames must be `pixelFormat: 'jpeg'`.
 *
 * ```
 * frames:  abcdefghijklmn
 * publishSnapshots(store, { name: 'door.jpg', every: 5 })
 * result:  a----f----k---   (each once the store has it)
 * ```
 *
 * @example
 * ```ts
 * cameras.get('door').frames$.pipe(publishSnapshots(store, { name: 'door.jpg', every: 10_000 })).subscribe();
 * ```
 */
export function publishSnapshots(store: ObjectStore, config: { readonly name: string; readonly every: number }, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<Frame, ObjectInfo> {
  checkOptions('publishSnapshots', config, { name: RULES.text, every: RULES.period });
  checkValue('publishSnapshots', 'option name', config.name, RULES.text);
  checkValue('publishSnapshots', 'option every', config.every, RULES.period);
  return (frames$) =>
    frames$.pipe(
      throttleTime(config.every, scheduler),
      exhaustMap((frame) => {
        if (frame.pixelFormat !== 'jpeg') throw new TypeError(`rtsp-rx: publishSnapshots needs frames with pixelFormat 'jpeg'; got ${JSON.stringify(frame.pixelFormat)}`);
        return store.putBlob({ name: config.name, options: { max_chunk_size: 1024 * 1024 } }, frame.data);
      }),
    );
}
