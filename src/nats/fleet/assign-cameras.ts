import { createHash } from 'node:crypto';

/** A live worker as the assignment sees it. */
export interface WorkerSlot {
  readonly id: string;
  /** Cameras it takes at most. */
  readonly capacity: number;
}

/** How much `worker` is preferred for `camera`: the same everywhere, for the same two names. */
const weight = (camera: string, worker: string): bigint => createHash('sha256').update(`${camera}\0${worker}`).digest().readBigUInt64BE(0);

/**
 * Who captures which camera: rendezvous (highest random weight) hashing, within each worker's
 * capacity. Every worker that sees the same cameras and workers computes the same answer, and
 * when a worker joins or leaves only the cameras it wins or held move. Cameras are placed in
 * name order, each with the worker of highest weight that has room; a camera no worker has room
 * for is left out.
 *
 * @example
 * ```ts
 * assignCameras(['door', 'gate', 'yard'], [{ id: 'w1', capacity: 2 }, { id: 'w2', capacity: 2 }]);
 * // Map { 'door' => 'w2', 'gate' => 'w1', 'yard' => 'w2' }
 * ```
 */
export function assignCameras(cameras: readonly string[], workers: readonly WorkerSlot[]): Map<string, string> {
  const room = new Map(workers.map((worker) => [worker.id, worker.capacity]));
  const assignment = new Map<string, string>();
  for (const camera of [...cameras].sort()) {
    const ranked = workers
      .map((worker) => ({ id: worker.id, weight: weight(camera, worker.id) }))
      .sort((a, b) => (a.weight === b.weight ? a.id.localeCompare(b.id) : a.weight > b.weight ? -1 : 1));
    const chosen = ranked.find(({ id }) => (room.get(id) ?? 0) > 0);
    if (chosen === undefined) continue;
    assignment.set(camera, chosen.id);
    room.set(chosen.id, room.get(chosen.id)! - 1);
  }
  return assignment;
}
