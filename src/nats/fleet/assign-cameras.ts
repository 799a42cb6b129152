/** A live worker as the assignment sees it. */
export interface WorkerSlot {
  readonly id: string;
  /** Cameras it takes at most. */
  readonly capacity: number;
}

/** murmur3's finalizer: every input bit moves every output bit. */
function mix(bits: number): number {
  bits = Math.imul(bits ^ (bits >>> 16), 0x85ebca6b);
  bits = Math.imul(bits ^ (bits >>> 13), 0xc2b2ae35);
  return (bits ^ (bits >>> 16)) >>> 0;
}

/** 32 well-spread bits of a name: FNV-1a over its UTF-16 code units, then mixed. */
function hashOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193);
  return mix(hash);
}

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
 * // Map { 'door' => 'w1', 'gate' => 'w1', 'yard' => 'w2' }
 * ```
 */
export function assignCameras(cameras: readonly string[], workers: readonly WorkerSlot[]): Map<string, string> {
  const room = new Map(workers.map((worker) => [worker.id, worker.capacity]));
  // Each name hashed once, a pair's weight mixed from the two: every worker runs this each
  // renewal, over every camera of the fleet.
  const hashed = workers.map((worker) => ({ id: worker.id, hash: hashOf(worker.id) }));
  const assignment = new Map<string, string>();
  for (const camera of [...cameras].sort()) {
    const cameraHash = hashOf(camera);
    const ranked = hashed
      .map((worker) => ({ id: worker.id, weight: mix(cameraHash ^ worker.hash) }))
      .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1));
    const chosen = ranked.find(({ id }) => (room.get(id) ?? 0) > 0);
    if (chosen === undefined) continue;
    assignment.set(camera, chosen.id);
    room.set(chosen.id, room.get(chosen.id)! - 1);
  }
  return assignment;
}
