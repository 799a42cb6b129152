import { readdirSync, readFileSync } from 'node:fs';

/**
 * One capture process (the OpenCV source's Node process, or the ffmpeg source's ffmpeg), as
 * Linux's `/proc` shows it.
 *
 * @example
 * ```ts
 * const [{ pid, cmdline }] = captureProcesses();
 * ```
 */
export interface CaptureProcess {
  readonly pid: number;
  /** Its command line, arguments separated by spaces. */
  readonly cmdline: string;
  /** Its environment, `NAME=value` entries separated by NUL characters, as in `/proc`. */
  readonly environ: string;
}

/**
 * The capture processes of either source that this process started and that still run: one
 * per open attempt. For tests that prove an application released its cameras, or that a
 * password never reached a command line. Linux only: it reads `/proc`.
 *
 * @example
 * ```ts
 * subscription.unsubscribe();
 * await new Promise((resolve) => setTimeout(resolve, 500));
 * console.log(captureProcesses().length);
 * // 0
 * ```
 */
export function captureProcesses(): CaptureProcess[] {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes('capture-process') || cmdline.includes(' -i /dev/fd/3 ') || cmdline.includes('RTSP_RX_LIST')) found.push({ pid: Number(entry), cmdline, environ: readFileSync(`/proc/${entry}/environ`, 'utf8') });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
