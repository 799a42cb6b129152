import { concatMap, throttleTime, asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import pidusage from 'pidusage';
import type { ConnectionState } from '../connection-state.js';
import type { CameraMetrics } from '../operators/camera-metrics.js';
import { checkOptions, RULES } from '../validation.js';

/**
 * What a capture process costs: its CPU time and memory, read from the operating system.
 *
 * @example
 * ```ts
 * const usage: ProcessUsage = { pid: 4242, cpuSeconds: 12.5, cpuPercent: 8.2, residentBytes: 94_371_840 };
 * ```
 */
export interface ProcessUsage {
  readonly pid: number;
  /** CPU time used since the process started, user and system. */
  readonly cpuSeconds: number;
  /** CPU used since the previous reading of this process, in percent of one core. */
  readonly cpuPercent: number;
  /** Resident memory (RSS). */
  readonly residentBytes: number;
}

/** A camera's metrics with what its capture process costs: `undefined` while not connected, or for a source that runs no process. */
export interface CameraMetricsWithUsage extends CameraMetrics {
  readonly captureProcess: ProcessUsage | undefined;
}

/**
 * The usage of the process that decodes a connected camera's stream (its `info.pid`);
 * `undefined` when the camera is not connected, its source names no process, or the process
 * has just gone.
 *
 * @example
 * ```ts
 * const usage = await captureProcessUsage(cameras.get('door').metrics.state);
 * console.log(usage?.residentBytes); // 94371840
 * ```
 */
export async function captureProcessUsage(state: ConnectionState): Promise<ProcessUsage | undefined> {
  if (state.status !== 'connected' || state.info.pid === undefined) return undefined;
  const { pid } = state.info;
  try {
    const { ctime, cpu, memory } = await pidusage(pid);
    return { pid, cpuSeconds: ctime / 1000, cpuPercent: cpu, residentBytes: memory };
  } catch {
    // Gone between the state and the reading: a reconnect is under way.
    return undefined;
  }
}

/**
 * A camera's metrics at most once per `period` (the first at once, the newest at the end of
 * each period), each with the usage of its capture process.
 *
 * @example
 * ```ts
 * cameras.get('door').metrics$.pipe(withProcessUsage()).subscribe(({ fps, captureProcess }) => console.log(fps, captureProcess?.cpuPercent));
 * // 25 8.2, 25 8.4, ...
 * ```
 */
export function withProcessUsage(config: { readonly period?: number } = {}, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<CameraMetrics, CameraMetricsWithUsage> {
  checkOptions('withProcessUsage', config, { period: RULES.period });
  return (metrics$) =>
    metrics$.pipe(
      throttleTime(config.period ?? 1000, scheduler, { leading: true, trailing: true }),
      concatMap(async (metrics) => ({ ...metrics, captureProcess: await captureProcessUsage(metrics.state) })),
    );
}
