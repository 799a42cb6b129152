import type { TestCamera } from '../../src/testing/index.js';

/** How long a stalled or killed camera stays down. */
const OUTAGE_MS = 5000;

/** The faults the demo puts a simulated camera through, in turn. */
const FAULTS = [
  { name: 'stall', says: `stalled (SIGSTOP) for ${OUTAGE_MS / 1000} s`, run: (camera: TestCamera, later: Later) => (camera.pause(), later(OUTAGE_MS, () => camera.resume())) },
  { name: 'kill', says: `killed, back in ${OUTAGE_MS / 1000} s`, run: async (camera: TestCamera, later: Later) => (await camera.kill(), later(OUTAGE_MS, () => camera.restart())) },
  { name: 'restart', says: 'restarted', run: (camera: TestCamera) => camera.restart() },
] as const;

type Later = (ms: number, action: () => unknown) => void;

/** What the dashboard shows of the fault schedule. */
export interface FaultSchedule {
  readonly last: { readonly name: string; readonly at: number } | null;
  readonly next: { readonly name: string; readonly at: number };
}

/** The names of the faults, in the order they come. */
export const FAULT_NAMES = FAULTS.map((fault) => fault.name);

/**
 * Breaks `camera`, called `name` in the log, every `everyMs` milliseconds: stall, kill,
 * restart, and again. Returns the schedule as it stands and a function that stops it (and
 * undoes a stall in progress).
 */
export function breakInTurn(camera: TestCamera, name: string, everyMs: number, log: (line: string) => void): { schedule(): FaultSchedule; stop(): void } {
  let turn = 0;
  let last: FaultSchedule['last'] = null;
  let nextAt = Date.now() + everyMs;
  let stopped = false;
  const pending = new Set<NodeJS.Timeout>();
  // A restart still under way when the demo stops fails as its simulator is closed: not worth a word.
  const attempt = (action: () => unknown) =>
    void Promise.resolve()
      .then(action)
      .catch((error: unknown) => stopped || log(`fault on ${name} went wrong: ${error instanceof Error ? error.message : String(error)}`));
  const later: Later = (ms, action) => {
    const timer = setTimeout(() => (pending.delete(timer), attempt(action)), ms);
    pending.add(timer);
  };
  const ticker = setInterval(() => {
    const fault = FAULTS[turn++ % FAULTS.length]!;
    last = { name: fault.name, at: Date.now() };
    nextAt = Date.now() + everyMs;
    log(`fault: camera ${name} ${fault.says}`);
    attempt(() => fault.run(camera, later));
  }, everyMs);
  return {
    schedule: () => ({ last, next: { name: FAULTS[turn % FAULTS.length]!.name, at: nextAt } }),
    stop: () => {
      stopped = true;
      clearInterval(ticker);
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      camera.resume();
    },
  };
}
