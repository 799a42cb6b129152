import { isObservable } from 'rxjs';
import { redactUrl } from './camera-address.js';

/**
 * What one option's value must be. A value of the wrong type is a `TypeError` that says
 * `type`; a value of the right type out of range is a `RangeError` that says `range`.
 *
 * @example
 * ```ts
 * const percent: Rule = { type: 'a number', isType: (v) => typeof v === 'number', range: 'from 0 to 100', inRange: (v) => v >= 0 && v <= 100 };
 * ```
 */
export interface Rule {
  readonly type: string;
  readonly isType: (value: unknown) => boolean;
  readonly range?: string;
  // The value has passed isType; each rule knows what that makes it.
  readonly inRange?: (value: any) => boolean;
}

/** `setTimeout` fires at once for anything above this, so no wait may be longer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const isNumber = (value: unknown): value is number => typeof value === 'number';

/**
 * The rules options are made of.
 *
 * @example
 * ```ts
 * const rules = { maxFps: RULES.positive, delivery: RULES.oneOf('latest', 'queue') };
 * ```
 */
export const RULES = {
  milliseconds: { type: 'a number', isType: isNumber, range: `a finite number of milliseconds from 0 to ${MAX_TIMER_MS}`, inRange: (v: number) => v >= 0 && v <= MAX_TIMER_MS },
  timeout: { type: 'a number', isType: isNumber, range: `a number of milliseconds above 0 and up to ${MAX_TIMER_MS}, or Infinity`, inRange: (v: number) => v === Infinity || (v > 0 && v <= MAX_TIMER_MS) },
  period: { type: 'a number', isType: isNumber, range: `a number of milliseconds above 0 and up to ${MAX_TIMER_MS}`, inRange: (v: number) => v > 0 && v <= MAX_TIMER_MS },
  positive: { type: 'a number', isType: isNumber, range: 'a finite number above 0', inRange: (v: number) => Number.isFinite(v) && v > 0 },
  wholeAbove0: { type: 'a number', isType: isNumber, range: 'a whole number above 0', inRange: (v: number) => Number.isInteger(v) && v > 0 },
  attempts: { type: 'a number', isType: isNumber, range: 'a whole number of at least 0, or Infinity', inRange: (v: number) => v === Infinity || (Number.isInteger(v) && v >= 0) },
  factor: { type: 'a number', isType: isNumber, range: 'a finite number of at least 1', inRange: (v: number) => Number.isFinite(v) && v >= 1 },
  fraction: { type: 'a number', isType: isNumber, range: 'a number from 0 to 1', inRange: (v: number) => v >= 0 && v <= 1 },
  text: { type: 'a string', isType: (v: unknown) => typeof v === 'string', range: 'a string that is not empty', inRange: (v: string) => v.trim() !== '' },
  boolean: { type: 'a boolean', isType: (v: unknown) => typeof v === 'boolean' },
  function: { type: 'a function', isType: (v: unknown) => typeof v === 'function' },
  observable: { type: 'an Observable', isType: isObservable },
  oneOf: (...allowed: readonly string[]): Rule => ({ type: 'a string', isType: (v) => typeof v === 'string', range: allowed.map((a) => JSON.stringify(a)).join(' or '), inRange: (v: string) => allowed.includes(v) }),
  /** An object with these methods. */
  methods: (...names: readonly string[]): Rule => ({
    type: `an object with ${names.join(', ')} methods`,
    isType: (v) => typeof v === 'object' && v !== null && names.every((name) => typeof (v as Record<string, unknown>)[name] === 'function'),
  }),
  /** An object with these string fields. */
  strings: (...names: readonly string[]): Rule => ({
    type: `{ ${names.map((name) => `${name}: string`).join(', ')} }`,
    isType: (v) => typeof v === 'object' && v !== null && names.every((name) => typeof (v as Record<string, unknown>)[name] === 'string'),
  }),
  size: {
    type: '{ width: number, height: number }',
    isType: (v: unknown) => typeof v === 'object' && v !== null && isNumber((v as { width?: unknown }).width) && isNumber((v as { height?: unknown }).height),
    range: 'whole numbers from 1 to 65535',
    inRange: (v: { width: number; height: number }) => [v.width, v.height].every((side) => Number.isInteger(side) && side >= 1 && side <= 65_535),
  },
} as const satisfies Record<string, Rule | ((...args: string[]) => Rule)>;

/**
 * Checks an options object against its rules: unknown names (with the nearest known one),
 * wrong types and values out of range throw, each message naming `context`, the option and
 * the value as given, any password hidden. `undefined` values count as absent.
 *
 * @throws TypeError when `options` is not an object, a name is unknown, or a value has the wrong type.
 * @throws RangeError when a value is out of range.
 *
 * @example
 * ```ts
 * checkOptions('opencvCaptureSource', { pixelformat: 'gray' }, { pixelFormat: RULES.oneOf('bgr', 'gray') });
 * // TypeError: rtsp-rx: opencvCaptureSource: unknown option pixelformat; did you mean pixelFormat? The options are pixelFormat
 * ```
 */
export function checkOptions(context: string, options: unknown, rules: Readonly<Record<string, Rule>>): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`rtsp-rx: ${context}: options must be an object; got ${describe(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const rule = rules[name];
    if (rule === undefined) {
      const nearest = nearestName(name, Object.keys(rules));
      throw new TypeError(`rtsp-rx: ${context}: unknown option ${name}${nearest === undefined ? '' : `; did you mean ${nearest}?`} The options are ${Object.keys(rules).join(', ')}`);
    }
    checkValue(context, `option ${name}`, value, rule);
  }
}

/**
 * Checks one value against its rule; `what` names it in the message (`option maxFps`, `url`).
 *
 * @throws TypeError for a wrong type, RangeError for a value out of range.
 *
 * @example
 * ```ts
 * checkValue('latestFrame', 'option grace', NaN, RULES.milliseconds);
 * // RangeError: rtsp-rx: latestFrame: option grace must be a finite number of milliseconds from 0 to 2147483647; got NaN
 * ```
 */
export function checkValue(context: string, what: string, value: unknown, rule: Rule): void {
  if (!rule.isType(value)) throw new TypeError(`rtsp-rx: ${context}: ${what} must be ${rule.type}; got ${describe(value)}`);
  if (rule.inRange !== undefined && !rule.inRange(value)) throw new RangeError(`rtsp-rx: ${context}: ${what} must be ${rule.range}; got ${describe(value)}`);
}

/**
 * A value as a message may show it, faithfully (`NaN`, `Infinity`, `"5"`), strings quoted
 * with any password hidden.
 *
 * @example
 * ```ts
 * describe('rtsp://u:secret@127.0.0.1/cam'); // '"rtsp://u:***@127.0.0.1/cam"'
 * describe(NaN); // 'NaN'
 * ```
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactUrl(value));
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol' || typeof value === 'bigint') return `${String(value)}${typeof value === 'bigint' ? 'n' : ''}`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (isObservable(value)) return 'an Observable';
  const entries = Object.entries(value);
  if (entries.length === 0) return 'an empty object';
  // Shallow: a size or credentials object shows what is wrong with it; a password never shows.
  return `{ ${entries.map(([key, field]) => `${key}: ${/password|secret|token/i.test(key) ? '***' : typeof field === 'object' && field !== null ? '{…}' : describe(field)}`).join(', ')} }`;
}

/**
 * The options that a rule table names, for handing each layer its own.
 *
 * @example
 * ```ts
 * pickOptions({ maxFps: 5, reconnectDelay: 500 }, { maxFps: RULES.positive }); // { maxFps: 5 }
 * ```
 */
export function pickOptions<T extends object, K extends keyof T>(options: T, rules: Readonly<Record<K, Rule>>): Pick<T, K> {
  // Only names the table holds pass, so the result has no other key.
  return Object.fromEntries(Object.entries(options).filter(([name, value]) => Object.hasOwn(rules, name) && value !== undefined)) as Pick<T, K>;
}

/** The known name a mistyped one most likely meant: same letters in another case, or at most two edits away. */
function nearestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
