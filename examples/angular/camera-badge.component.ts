import { ChangeDetectionStrategy, Component, computed, inject, Input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { filter, switchMap } from 'rxjs';
import { CameraStates } from './camera-states.service.js';

/**
 * A camera's live picture with its connection state: `<camera-badge camera="door" />`.
 * The picture is the server's MJPEG stream; the state, the service's signal.
 */
@Component({
  selector: 'camera-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure>
      <img [src]="'/cameras/' + name() + '/live.mjpeg'" [alt]="name()" />
      <figcaption [class]="status()">{{ name() }}: {{ label() }}</figcaption>
    </figure>
  `,
})
export class CameraBadgeComponent {
  readonly name = signal('');
  // A decorated input rather than input(): it works under the JIT compiler as well (tests, StackBlitz).
  @Input({ required: true }) set camera(name: string) {
    this.name.set(name);
  }

  readonly #states = inject(CameraStates);
  // Follows the input: another camera name, another stream; all of it closes with the component.
  readonly #state = toSignal(
    toObservable(this.name).pipe(
      filter((name) => name !== ''),
      switchMap((name) => this.#states.state$(name)),
    ),
  );
  readonly status = computed(() => this.#state()?.status ?? 'unknown');
  readonly label = computed(() => {
    const state = this.#state();
    if (state === undefined) return 'waiting for the server';
    switch (state.status) {
      case 'connected':
        return `connected, ${state.info.width}x${state.info.height}`;
      case 'reconnecting':
        return `${state.cause.code}, retrying in ${Math.round(state.delay / 1000)} s`;
      case 'failed':
        return `gave up: ${state.cause.code}`;
      case 'connecting':
      case 'closed':
        return state.status;
    }
  });
}
