import { firstValueFrom, tap, first } from 'rxjs';
import type { CaptureSource, StreamInfo } from '../capture-source.js';
import { redactUrl } from '../camera-address.js';
import type { RtspErrorCode } from '../errors.js';
import { rtspEvents$ } from '../rtsp-events.js';

/** What `rtsp-rx probe` found out about one camera. */
export type ProbeResult =
  | {
      readonly url: string;
      readonly ok: true;
      readonly info: StreamInfo;
      /** Milliseconds from the start to the stream's description. */
      readonly openMs: number;
      /** Milliseconds from the start to the first frame. */
      readonly firstFrameMs: number;
    }
  | { readonly url: string; readonly ok: false; readonly code: RtspErrorCode; readonly message: string; readonly hint?: string };

/** What to try for each failure a user can do something about. */
export const HINTS: Partial<Record<RtspErrorCode, string>> = {
  UNAUTHORIZED: 'check the user name and password (RTSP_RX_USERNAME and RTSP_RX_PASSWORD, or --credentials-file)',
  NOT_FOUND: 'check the path after the port: cameras name their streams differently (/stream1, /Streaming/Channels/101, ...)',
  UNSUPPORTED_TRANSPORT: 'the camera refuses this transport: try --transport udp, or --transport tcp',
  ECONNREFUSED: 'nothing listens there: check the host and the port (RTSP is 554 unless the camera says otherwise)',
  OPEN_TIMEOUT: 'no answer: check the address, and that nothing on the way drops RTSP',
  STALLED: 'the camera opened the stream but sent no picture in time: try a longer --timeout',
};

/**
 * Connects once, without retrying, and reports the stream (codec, size, fps, transport) and
 * how long the open and the first frame took, or the typed error with a hint.
 *
 * @example
 * ```ts
 * await probe('rtsp://127.0.0.1:8554/cam', source, 10_000);
 * // { url: 'rtsp://127.0.0.1:8554/cam', ok: true, info: { width: 1920, height: 1080, fps: 25, codec: 'h264', transport: 'tcp' }, openMs: 412, firstFrameMs: 655 }
 * ```
 */
export async function probe(url: string, source: CaptureSource, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  let opened: { info: StreamInfo; ms: number } | undefined;
  const last = await firstValueFrom(
    rtspEvents$(url, { source, maxReconnectAttempts: 0, openTimeout: timeoutMs, firstFrameTimeout: timeoutMs }).pipe(
      tap((event) => {
        if (event.type === 'state' && event.state.status === 'connected') opened ??= { info: event.state.info, ms: since() };
      }),
      first((event) => event.type === 'frame' || (event.type === 'state' && (event.state.status === 'reconnecting' || event.state.status === 'failed'))),
    ),
  );
  const safeUrl = redactUrl(url);
  if (last.type === 'frame' && opened !== undefined) return { url: safeUrl, ok: true, info: opened.info, openMs: opened.ms, firstFrameMs: since() };
  const cause = last.type === 'state' && (last.state.status === 'reconnecting' || last.state.status === 'failed') ? last.state.cause : undefined;
  const code = cause?.code ?? 'CAPTURE_ERROR';
  const hint = HINTS[code];
  return { url: safeUrl, ok: false, code, message: cause?.message ?? 'no frame', ...(hint === undefined ? {} : { hint }) };
}

/**
 * One line per camera for a terminal.
 *
 * @example
 * ```ts
 * describeProbe({ url: 'rtsp://127.0.0.1:8554/cam', ok: true, info: { width: 1920, height: 1080, fps: 25, codec: 'h264', transport: 'tcp' }, openMs: 412, firstFrameMs: 655 });
 * // 'rtsp://127.0.0.1:8554/cam: h264 1920x1080 at 25 fps over tcp; opened in 412 ms, first frame in 655 ms'
 * ```
 */
export function describeProbe(result: ProbeResult): string {
  if (!result.ok) return `${result.url}: ${result.code}: ${result.message}${result.hint === undefined ? '' : `\n  hint: ${result.hint}`}`;
  const { info } = result;
  const stream = [info.codec, `${info.width}x${info.height}`, info.fps === undefined ? undefined : `at ${info.fps} fps`, info.transport === undefined ? undefined : `over ${info.transport}`].filter((part) => part !== undefined).join(' ');
  return `${result.url}: ${stream}; opened in ${result.openMs} ms, first frame in ${result.firstFrameMs} ms`;
}
