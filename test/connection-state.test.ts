import { describe, expect, it } from 'vitest';
import { describeState, RtspError, type ConnectionState } from '../src/index.js';
import { INITIAL_MACHINE, nextConnection, type ConnectionMachine, type ConnectionSignal } from '../src/connection-state.js';

const policy = { reconnectDelay: 1000, reconnectBackoff: 2, maxReconnectDelay: 30_000, maxReconnectAttempts: 2, reconnectJitter: 0, retryOnPermanentError: false };
const info = { width: 640, height: 480, fps: 25, codec: 'h264' };
const refused = new RtspError('ECONNREFUSED', 'refused');
const step = (machine: ConnectionMachine, ...signals: ConnectionSignal[]) => signals.reduce((m, s) => nextConnection(m, s, policy), machine);

describe('nextConnection', () => {
  it('connects: closed, connecting #0, connected since the open', () => {
    const machine = step(INITIAL_MACHINE, { type: 'attempt' });
    expect(machine.state).toEqual({ status: 'connecting', attempt: 0 });
    expect(step(machine, { type: 'opened', info, at: 42 }).state).toEqual({ status: 'connected', since: 42, info });
  });

  it('counts failures in a row and gives up past maxReconnectAttempts with the last cause', () => {
    const fail = { type: 'fault', cause: refused } as const;
    const attempt = { type: 'attempt' } as const;
    expect(step(INITIAL_MACHINE, attempt, fail).state).toEqual({ status: 'reconnecting', attempt: 1, delay: 1000, cause: refused });
    expect(step(INITIAL_MACHINE, attempt, fail, attempt).state).toEqual({ status: 'connecting', attempt: 1 });
    expect(step(INITIAL_MACHINE, attempt, fail, attempt, fail).state).toEqual({ status: 'reconnecting', attempt: 2, delay: 2000, cause: refused });
    expect(step(INITIAL_MACHINE, attempt, fail, attempt, fail, attempt, fail).state).toEqual({ status: 'failed', attempts: 2, cause: refused, reason: 'exhausted' });
  });

  it('gives up at once on a cause no retry can cure, unless told to retry it', () => {
    const unauthorized = new RtspError('UNAUTHORIZED', '401');
    const signals = [{ type: 'attempt' }, { type: 'fault', cause: unauthorized }] as const;
    expect(step(INITIAL_MACHINE, ...signals).state).toEqual({ status: 'failed', attempts: 0, cause: unauthorized, reason: 'permanent' });
    const retrying = signals.reduce((m, s) => nextConnection(m, s, { ...policy, retryOnPermanentError: true }), INITIAL_MACHINE);
    expect(retrying.state).toEqual({ status: 'reconnecting', attempt: 1, delay: 1000, cause: unauthorized });
  });

  it('starts the count anew after a frame, and reports no change for further frames', () => {
    const opened = step(INITIAL_MACHINE, { type: 'attempt' }, { type: 'fault', cause: refused }, { type: 'attempt' }, { type: 'opened', info, at: 1 });
    const afterFrame = step(opened, { type: 'frame' });
    expect(afterFrame.state).toBe(opened.state);
    expect(afterFrame.attempt).toBe(0);
    expect(step(afterFrame, { type: 'frame' })).toBe(afterFrame);
    expect(step(afterFrame, { type: 'fault', cause: refused }).state).toMatchObject({ status: 'reconnecting', attempt: 1, delay: 1000 });
  });

  it('keeps `since` when a connected stream announces new stream info', () => {
    const connected = step(INITIAL_MACHINE, { type: 'attempt' }, { type: 'opened', info, at: 5 });
    const resized = { ...info, width: 1280, height: 720 };
    expect(step(connected, { type: 'opened', info: resized, at: 900 }).state).toEqual({ status: 'connected', since: 5, info: resized });
  });

  it('closes when the source ends', () => {
    expect(step(INITIAL_MACHINE, { type: 'attempt' }, { type: 'ended' }).state).toEqual({ status: 'closed' });
  });
});

describe('describeState', () => {
  it.each<[ConnectionState, string]>([
    [{ status: 'connecting', attempt: 0 }, 'connecting'],
    [{ status: 'connecting', attempt: 3 }, 'connecting (reconnect #3)'],
    [{ status: 'connected', since: 0, info }, 'connected 640x480 @ 25 fps h264'],
    [{ status: 'connected', since: 0, info: { width: 2, height: 2, fps: undefined } }, 'connected 2x2'],
    [{ status: 'reconnecting', attempt: 2, delay: 2000, cause: refused }, 'reconnecting: #2 in 2000 ms after ECONNREFUSED'],
    [{ status: 'failed', attempts: 5, cause: refused, reason: 'exhausted' }, 'failed after 5 reconnect attempt(s): ECONNREFUSED'],
    [{ status: 'failed', attempts: 0, cause: new RtspError('UNAUTHORIZED', '401'), reason: 'permanent' }, 'failed: UNAUTHORIZED, which no reconnect can cure'],
    [{ status: 'closed' }, 'closed'],
  ])('%j reads "%s"', (state, text) => {
    expect(describeState(state)).toBe(text);
  });
});
