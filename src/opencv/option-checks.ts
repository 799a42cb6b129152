/** Throws a RangeError naming the option unless `value` is undefined or one of `allowed`. */
export const oneOf = (name: string, value: unknown, allowed: readonly string[]) => {
  if (value !== undefined && !allowed.includes(value as string)) throw new RangeError(`rtsp-rx: option ${name} must be ${allowed.join(' or ')}; got ${JSON.stringify(value)}`);
};

/** Throws a RangeError naming the option unless `value` is undefined or a finite number above 0, whole if asked. */
export const positive = (name: string, value: unknown, whole: boolean) => {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0 && (!whole || Number.isInteger(value)))) {
    throw new RangeError(`rtsp-rx: option ${name} must be a ${whole ? 'whole ' : ''}number above 0; got ${JSON.stringify(value)}`);
  }
};
