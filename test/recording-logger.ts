import type { Logger } from '../src/index.js';

/** A logger that keeps each line with its level, for tests to read back. */
export function recordingLogger(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}
