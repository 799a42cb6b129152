import { describe, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { RtspEvent } from '../capture-source.js';
import { selectConnectionState } from './select-connection-state.js';

describe('selectConnectionState', () => {
  it('keeps states and drops frames', () => {
    const frame = { data: Buffer.from('a'), width: 1, height: 1, channels: 1, pixelFormat: 'gray' as const, capturedAt: 0, sequence: 1 };
    const events: Record<string, RtspEvent> = {
      c: { type: 'state', state: { status: 'connecting', attempt: 0 } },
      a: { type: 'frame', frame },
      x: { type: 'state', state: { status: 'closed' } },
    };
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('c-a-a-x|', events).pipe(selectConnectionState())).toBe('c-----x|', { c: events['c']!.type === 'state' && events['c']!.state, x: { status: 'closed' } });
    });
  });
});
