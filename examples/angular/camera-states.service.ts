import { Injectable, InjectionToken, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Observable, ReplaySubject, share } from 'rxjs';
import type { ConnectionStateMessage } from '../../src/index.js';

/** Where the NestJS application serves its cameras. Default `/cameras`, on the page's own origin. */
export const CAMERAS_URL = new InjectionToken<string>('CAMERAS_URL', { providedIn: 'root', factory: () => '/cameras' });

/** Opens an EventSource: the browser's own by default; a polyfill on a server (SSR) or in tests. */
export const OPEN_EVENT_SOURCE = new InjectionToken<(url: string) => EventSource>('OPEN_EVENT_SOURCE', {
  providedIn: 'root',
  factory: () => (url) => new EventSource(url),
});

/**
 * The connection state of the server's cameras, as an Observable and as a signal per camera.
 * Browsers cannot speak RTSP: the NestJS application does, and sends each camera's state as
 * Server-Sent Events (`GET /cameras/:name/state`). One EventSource per camera, whatever the
 * number of subscribers, closed when the last one leaves.
 */
@Injectable({ providedIn: 'root' })
export class CameraStates {
  readonly #camerasUrl = inject(CAMERAS_URL);
  readonly #open = inject(OPEN_EVENT_SOURCE);
  readonly #states = new Map<string, Observable<ConnectionStateMessage>>();

  /** The camera's state: the current one at once, then each change. Errors if the server refuses the stream. */
  state$(camera: string): Observable<ConnectionStateMessage> {
    let state$ = this.#states.get(camera);
    if (state$ === undefined) {
      state$ = this.#subscribe(`${this.#camerasUrl}/${encodeURIComponent(camera)}/state`).pipe(
        share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true, resetOnError: true, resetOnComplete: true }),
      );
      this.#states.set(camera, state$);
    }
    return state$;
  }

  /**
   * The camera's state as a signal, `undefined` until the server has said. Call it where
   * `inject()` works (a component's field): the stream closes with that component.
   */
  state(camera: string): Signal<ConnectionStateMessage | undefined> {
    return toSignal(this.state$(camera));
  }

  #subscribe(url: string): Observable<ConnectionStateMessage> {
    return new Observable<ConnectionStateMessage>((subscriber) => {
      const source = this.#open(url);
      source.addEventListener('state', (event) => subscriber.next(JSON.parse((event as MessageEvent<string>).data) as ConnectionStateMessage));
      // EventSource retries by itself after a dropped connection; CLOSED means it gave up
      // (an HTTP error such as 404 for an unknown camera).
      source.addEventListener('error', () => {
        if (source.readyState === source.CLOSED) subscriber.error(new Error(`the camera state stream ${url} was refused`));
      });
      return () => source.close();
    });
  }
}
