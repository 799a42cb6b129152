import { timer, type SchedulerLike, type ShareConfig } from 'rxjs';
import { checkOptions, RULES } from '../validation.js';

/**
 * How a shared connection outlives its last subscriber: the config of {@link shareConnection}
 * and {@link latestFrame}.
 *
 * @example
 * ```ts
 * const config: SharingConfig = { grace: 2_000 };
 * ```
 */
export interface SharingConfig {
  /**
   * When the last subscriber leaves, keep the source subscribed this many milliseconds in case
   * another one comes. Default 0: release at once.
   */
  readonly grace?: number;
}

/**
 * The part of `share`'s config both sharing operators have in common: reset on error and
 * completion, and on the last unsubscribe after `grace`. Checks the config.
 *
 * @throws TypeError or RangeError naming `context` and the option.
 */
export function sharingReset<T>(context: string, config: SharingConfig, scheduler: SchedulerLike): Omit<ShareConfig<T>, 'connector'> {
  checkOptions(context, config, { grace: RULES.milliseconds });
  const grace = config.grace ?? 0;
  return {
    resetOnError: true,
    resetOnComplete: true,
    resetOnRefCountZero: grace > 0 ? () => timer(grace, scheduler) : true,
  };
}
