import { catchError, defer, map, type Observable } from 'rxjs';
import type { CaptureEvent, CaptureRequest, CaptureSource } from '../capture-source.js';
import { RtspError } from '../errors.js';

/** How RTP travels: `auto` tries the RTSP connection (TCP) first. */
export type Transport = 'auto' | 'tcp' | 'udp';

/**
 * A capture source over a chosen transport. With `auto` an attempt goes over TCP (interleaved
 * on the RTSP connection: no lost packets, no smeared pictures), and a camera that refuses
 * that (RTSP 461) is opened over UDP, remembered for that camera from then on. `tcp` or `udp`
 * forces one: a camera that refuses it fails with `UNSUPPORTED_TRANSPORT`. The stream's info
 * says which transport it opened over.
 *
 * @example
 * ```ts
 * const source = overTransport('auto', (request, transport) => openCamera(request.address.url, transport), console.log);
 * // a camera that answers 461 to TCP: 'the camera refuses RTP over TCP (461): UDP for this camera from now on'
 * ```
 */
export function overTransport(
  transport: Transport,
  attempt: (request: CaptureRequest, transport: 'tcp' | 'udp') => Observable<CaptureEvent>,
  log: (line: string) => void,
): CaptureSource {
  const over = (request: CaptureRequest, chosen: 'tcp' | 'udp'): Observable<CaptureEvent> =>
    attempt(request, chosen).pipe(map((event) => (event.type === 'opened' ? { ...event, info: { ...event.info, transport: chosen } } : event)));
  if (transport !== 'auto') return { open: (request) => over(request, transport) };
  /** Cameras that refused RTP over TCP. */
  const refuseTcp = new Set<string>();
  return {
    open: (request) =>
      defer(() => {
        if (refuseTcp.has(request.address.url)) return over(request, 'udp');
        return over(request, 'tcp').pipe(
          catchError((error: unknown) => {
            if (!(error instanceof RtspError && error.code === 'UNSUPPORTED_TRANSPORT')) throw error;
            log('capture: the camera refuses RTP over TCP (461): UDP for this camera from now on');
            refuseTcp.add(request.address.url);
            return over(request, 'udp');
          }),
        );
      }),
  };
}
