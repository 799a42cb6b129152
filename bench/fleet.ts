/**
 * The fleet at scale: fake cameras over fleet worker processes on one nats-server, all on this
 * machine. Time to full assignment, failover after kill -9 of one worker (per camera: owned
 * again, streaming again), KV writes per second, nats-server's CPU, and the workers' CPU beside
 * the same cameras run without the fleet (the bare alternative), in one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KvWatchInclude, type KvWatchEntry } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { OWNERSHIP_SUBJECT, openFleet, type FleetBuckets, type FleetCameraState, type OwnershipEvent } from '../src/nats/index.js';
import { startNatsServer } from '../src/testing/index.js';
import { cpuMilliseconds, rssMiB } from './proc.js';
import { percentile, sleep } from './stats.js';

export interface FleetPlan {
  readonly cameras: number;
  readonly workers: number;
  /** Cameras a worker takes at most: room for a dead worker's share. */
  readonly capacity: number;
  /** Frames a second of each fake camera. */
  readonly fps: number;
  /** Length of the steady-state windows (fleet and bare), in seconds. */
  readonly windowSeconds: number;
}

/** The fleet's defaults: the lease and renewal interval the failover is measured with. */
const LEASE_TIME = 3000;
const RENEW_EVERY = 1000;

const root = fileURLToPath(new URL('..', import.meta.url));
const oneDecimal = (value: number) => Math.round(value * 10) / 10;

interface Worker {
  readonly process: ChildProcess;
  /** Its last lines of output, for a failure's message. */
  readonly tail: string[];
  readonly ready: Promise<void>;
}

function startWorker(program: string, env: Record<string, string>, readyLine: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', program], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        if (line === readyLine) resolve();
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code, signal) => reject(new Error(`${program} ended (${code ?? signal}) before it was ready:\n${tail.join('\n')}`)));
  });
  ready.catch(() => undefined);
  return { process: child, tail, ready };
}

async function until(what: string, check: () => boolean, timeout: number, workers: readonly Worker[] = []): Promise<number> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms\n${workers.map((worker, index) => `worker ${index + 1}:\n${worker.tail.slice(-5).join('\n')}`).join('\n')}`);
    await sleep(20);
  }
  return Date.now();
}

const cpuOf = (workers: readonly Worker[]) => workers.reduce((sum, worker) => sum + cpuMilliseconds(worker.process.pid!), 0);
const rssOf = (workers: readonly Worker[]) => workers.map((worker) => rssMiB(worker.process.pid!));

async function lastSequences(fleet: FleetBuckets): Promise<Record<keyof FleetBuckets, number>> {
  const names = ['cameras', 'workers', 'leases', 'states'] as const;
  const sequences = await Promise.all(names.map(async (name) => (await fleet[name].status()).streamInfo.state.last_seq));
  return Object.fromEntries(names.map((name, index) => [name, sequences[index]!])) as Record<keyof FleetBuckets, number>;
}

/** CPU of the workers, a window long, as % of one core: the fleet's, or the bare alternative's. */
async function cpuPercentOver(workers: readonly Worker[], seconds: number): Promise<number> {
  const before = cpuOf(workers);
  const startedAt = Date.now();
  await sleep(seconds * 1000);
  return oneDecimal((cpuOf(workers) - before) / ((Date.now() - startedAt) / 100));
}

export async function fleetScale(plan: FleetPlan, log: (line: string) => void) {
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.url });
  const workers: Worker[] = [];
  try {
    const fleet = await openFleet(nc);
    const names = Array.from({ length: plan.cameras }, (_, index) => `fake${index}`);
    await Promise.all(names.map((name, index) => fleet.cameras.put(name, JSON.stringify({ url: `rtsp://127.0.0.1/fake-${index}` }))));

    // Who captures each camera now, from the starts and stops the workers announce.
    const events: OwnershipEvent[] = [];
    const owner = new Map<string, string>();
    let lastEventAt = Date.now();
    nc.subscribe(OWNERSHIP_SUBJECT, {
      callback: (_error, message) => {
        const event = message.json<OwnershipEvent>();
        events.push(event);
        lastEventAt = Date.now();
        if (event.event === 'start') owner.set(event.camera, event.worker);
        else if (owner.get(event.camera) === event.worker) owner.delete(event.camera);
      },
    });
    const ownedBy = (worker: string) => [...owner].filter(([, id]) => id === worker).map(([name]) => name);

    log(`fleet: ${plan.workers} workers, ${plan.cameras} cameras`);
    const spawnedAt = Date.now();
    for (let index = 1; index <= plan.workers; index++) {
      const env = { NATS_URL: nats.url, WORKER_ID: `w${index}`, CAPACITY: String(plan.capacity), FAKE_FPS: String(plan.fps), LEASE_TIME: String(LEASE_TIME), RENEW_EVERY: String(RENEW_EVERY) };
      workers.push(startWorker('test/nats/fleet-worker-process.ts', env, `w${index}: ready`));
    }
    await Promise.all(workers.map((worker) => worker.ready));
    const readyAt = Date.now();
    const assignedAt = await until('every camera owned', () => owner.size === plan.cameras, 120_000, workers);
    // Settled: no start or stop for three renewal intervals.
    await until('the fleet settles', () => Date.now() - lastEventAt >= 3 * RENEW_EVERY, 120_000, workers);
    const settledAt = lastEventAt;
    const startsToSettle = events.filter((event) => event.event === 'start').length;
    const shares = Array.from({ length: plan.workers }, (_, index) => ownedBy(`w${index + 1}`).length);
    log(`fleet: every camera owned ${assignedAt - readyAt} ms after the last worker was ready, settled after ${settledAt - readyAt} ms, ${startsToSettle - plan.cameras} moves`);

    // Steady state: the fleet's writes, the server's and the workers' CPU.
    const sequencesBefore = await lastSequences(fleet);
    const serverCpuBefore = cpuMilliseconds(nats.pid);
    const windowStart = Date.now();
    const workersCpuPercent = await cpuPercentOver(workers, plan.windowSeconds);
    const seconds = (Date.now() - windowStart) / 1000;
    const serverCpuPercent = oneDecimal((cpuMilliseconds(nats.pid) - serverCpuBefore) / (seconds * 10));
    const sequencesAfter = await lastSequences(fleet);
    const writesPerSecond = Object.fromEntries(Object.entries(sequencesAfter).map(([bucket, sequence]) => [bucket, Math.round((sequence - sequencesBefore[bucket as keyof FleetBuckets]) / seconds)])) as Record<keyof FleetBuckets, number>;
    const serverRssMiB = oneDecimal(rssMiB(nats.pid));
    const workerRssMiB = oneDecimal(percentile(rssOf(workers), 50)!);
    log(`fleet: ${JSON.stringify(writesPerSecond)} KV writes/s, nats-server ${serverCpuPercent} % CPU, workers ${workersCpuPercent} %`);

    // kill -9 the worker with the largest share: per camera, when another worker starts it and
    // when its first state with frames from the new owner arrives.
    const victimIndex = shares.indexOf(Math.max(...shares));
    const victim = `w${victimIndex + 1}`;
    const lost = new Set(ownedBy(victim));
    const streamingAgain = new Map<string, number>();
    const watch = await fleet.states.watch({ include: KvWatchInclude.UpdatesOnly });
    let killedAt = Number.POSITIVE_INFINITY;
    void (async () => {
      for await (const entry of watch as AsyncIterable<KvWatchEntry>) {
        if (entry.operation !== 'PUT' || !lost.has(entry.key) || streamingAgain.has(entry.key)) continue;
        const state = entry.json<FleetCameraState>();
        if (state.worker !== victim && state.status === 'connected' && state.frames > 0 && Date.now() > killedAt) streamingAgain.set(entry.key, Date.now() - killedAt);
      }
    })();
    killedAt = Date.now();
    workers[victimIndex]!.process.kill('SIGKILL');
    const takenOver = () => [...lost].flatMap((name) => events.filter((event) => event.camera === name && event.event === 'start' && event.worker !== victim && event.at >= killedAt).slice(0, 1).map((event) => event.at - killedAt));
    await until(`${victim}'s ${lost.size} cameras streaming on the others`, () => takenOver().length === lost.size && streamingAgain.size === lost.size, 60_000, workers);
    watch.stop();
    const owned = takenOver();
    const streaming = [...streamingAgain.values()];
    log(`fleet: kill -9 ${victim}: ${lost.size} cameras owned again after ${percentile(owned, 50)} ms (p50), ${percentile(owned, 99)} ms (p99); streaming ${percentile(streaming, 50)} / ${percentile(streaming, 99)} ms`);

    for (const worker of workers) worker.process.kill('SIGKILL');

    // The bare alternative: the same cameras, split the same way, in registries without a fleet.
    const bare = Array.from({ length: plan.workers }, (_, index) =>
      startWorker('bench/fleet-bare-worker.ts', { CAMERAS: String(Math.floor(plan.cameras / plan.workers) + (index < plan.cameras % plan.workers ? 1 : 0)), FAKE_FPS: String(plan.fps) }, 'ready'),
    );
    workers.push(...bare);
    await Promise.all(bare.map((worker) => worker.ready));
    await sleep(3000);
    const bareCpuPercent = await cpuPercentOver(bare, plan.windowSeconds);
    const bareRssMiB = oneDecimal(percentile(rssOf(bare), 50)!);
    log(`fleet: bare alternative ${bareCpuPercent} % CPU`);

    return {
      ...plan,
      leaseTime: LEASE_TIME,
      renewEvery: RENEW_EVERY,
      workersReadyMs: readyAt - spawnedAt,
      assignedMs: assignedAt - readyAt,
      settledMs: settledAt - readyAt,
      movesToSettle: startsToSettle - plan.cameras,
      shares,
      windowSeconds: oneDecimal(seconds),
      writesPerSecond,
      serverCpuPercent,
      serverRssMiB,
      workersCpuPercent,
      workerRssMiB,
      bareCpuPercent,
      bareRssMiB,
      failover: {
        worker: victim,
        cameras: lost.size,
        ownedP50Ms: percentile(owned, 50),
        ownedP99Ms: percentile(owned, 99),
        ownedMaxMs: percentile(owned, 100),
        streamingP50Ms: percentile(streaming, 50),
        streamingP99Ms: percentile(streaming, 99),
        streamingMaxMs: percentile(streaming, 100),
      },
    };
  } finally {
    for (const worker of workers) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
    await nc.close();
    await nats.close();
  }
}

export type FleetResult = Awaited<ReturnType<typeof fleetScale>>;

const thousands = (value: number) => value.toLocaleString('en-US');

/** The report's section on the fleet: a column for each configuration. */
export function fleetSection(runs: readonly FleetResult[]): string[] {
  const [first] = runs;
  if (first === undefined) return [];
  const row = (what: string, figure: (run: FleetResult) => string | number | null) => `| ${what} | ${runs.map((run) => figure(run) ?? '–').join(' | ')} |`;
  const writes = (run: FleetResult) => run.writesPerSecond;
  const watched = (run: FleetResult) => writes(run).cameras + writes(run).workers + writes(run).leases;
  const coordination = (run: FleetResult) => oneDecimal(run.workersCpuPercent - run.bareCpuPercent);
  return [
    '## 10. Fleet: fake cameras over worker processes on one nats-server, all on one machine',
    '',
    `Each fake camera sends ${first.fps} small frames a second; every worker takes them all. Lease ${first.leaseTime} ms, renewed every ${first.renewEvery} ms. The workers start together against a full camera bucket. The bare alternative runs the same cameras, split the same way, in as many processes without NATS. Steady-state windows of ${first.windowSeconds} s. Failover is counted per camera of the killed worker: owned again is its next \`start\` on the ownership subject, streaming again the first state with frames from the new owner (states are written once a renewal interval). Times in ms.`,
    '',
    `| | ${runs.map((run) => `${thousands(run.cameras)} cameras, ${run.workers} workers of capacity ${run.capacity}`).join(' | ')} |`,
    `|---|${runs.map(() => '---|').join('')}`,
    row('workers started and ready', (run) => run.workersReadyMs),
    row('every camera owned, after the last worker was ready', (run) => run.assignedMs),
    row('settled (no start or stop for 3 intervals), after the last worker was ready', (run) => `${run.settledMs}, ${run.movesToSettle} moves on the way`),
    row('cameras per worker, settled', (run) => `${Math.min(...run.shares)} to ${Math.max(...run.shares)}`),
    row('kill -9 of the largest share: cameras', (run) => run.failover.cameras),
    row(`kill -9: owned again, p50 / p99 / max (goal: the lease and two intervals, ${first.leaseTime + 2 * first.renewEvery})`, (run) => `${run.failover.ownedP50Ms} / ${run.failover.ownedP99Ms} / ${run.failover.ownedMaxMs}`),
    row('kill -9: streaming again, p50 / p99 / max (goal: 10,000)', (run) => `${run.failover.streamingP50Ms} / ${run.failover.streamingP99Ms} / ${run.failover.streamingMaxMs}`),
    row('KV writes a second: leases / states / heartbeats / camera list', (run) => `${writes(run).leases} / ${writes(run).states} / ${writes(run).workers} / ${writes(run).cameras}`),
    row('messages a second the watches deliver (every worker reads every write to cameras, heartbeats and leases)', (run) => thousands(run.workers * watched(run))),
    row('nats-server CPU, % of one core (RSS MiB)', (run) => `${run.serverCpuPercent} % (${run.serverRssMiB})`),
    row("workers' CPU, all of them, % of one core: fleet / bare", (run) => `${run.workersCpuPercent} % / ${run.bareCpuPercent} %`),
    row('coordination: fleet minus bare, % of one core (ms of CPU a second per camera)', (run) => `${coordination(run)} % (${Number(((coordination(run) * 10) / run.cameras).toFixed(2))})`),
    row('worker RSS, median MiB: fleet / bare', (run) => `${run.workerRssMiB} / ${run.bareRssMiB}`),
    '',
  ];
}
