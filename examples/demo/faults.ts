import type { TestCamera } from '../../src/testing/index.js';

/** How long a stalled or killed camera stays down. */
const OUTAGE_MS = 5000;

/** The faults the demo puts the simulated camera through, in turn. */
const FAULTS = [
  { name: 'stall', says: `camera stalled (SIGSTOP) for ${OUTAGE_MS / 1000} s`, run: (camera: TestCamera) => (camera.pause(), later(OUTAGE_MS, () => camera.resume())) },
  { name: 'kill', says: `camera killed, back in ${OUTAGE_MS / 1000} s`, run: async (camera: TestCamera) => (await camera.kill(), later(OUTAGE_MS, () => camera.restart())) },
  { name: 'restart', says: 'camera restarted', run: (camera: TestCamera) => camera.restart() },
] as const;

let pending = new Set<NodeJS.Timeout>();
function later(ms: number, action: () => unknown): void {
  const timer = setTimeout(() => (pending.delete(timer), void action()), ms);
  pending.add(timer);
}

/** What the dashboard shows of the fault schedule. */
export interface FaultSchedule {
  readonly last: { readonly name: string; readonly at: number } | undefined;
  readonly next: { readonly name: string; readonly at: number } | undefined;
}

/**
 * Breaks `camera` every `everyMs` milliseconds: stall, kill, restart, and again. Returns the
 * schedule as it stands and a function that stops it (and undoes a stall in progress).
 */
export function breakInTurn(camera: TestCamera, everyMs: number, log: (line: string) => void): { schedule(): FaultSchedule; stop(): void } {
  let turn = 0;
  let last: FaultSchedule['last'];
  let nextAt = Date.now() + everyMs;
  const ticker = setInterval(() => {
    const fault = FAULTS[turn++ % FAULTS.length]!;
    last = { name: fault.name, at: Date.now() };
    nextAt = Date.now() + everyMs;
    log(`fault: ${fault.says}`);
    void fault.run(camera);
  }, everyMs);
  return {
    schedule: () => ({ last, next: { name: FAULTS[turn % FAULTS.length]!.name, at: nextAt } }),
    stop: () => {
      clearInterval(ticker);
      for (const timer of pending) clearTimeout(timer);
      pending = new Set();
      camera.resume();
    },
  };
}
