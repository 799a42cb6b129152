import { describe, expect, it } from 'vitest';
import { CLOSED, connectionStateMessage, RtspError, type ConnectionState } from '../src/index.js';

const cause = new RtspError('ECONNREFUSED', 'connection refused by rtsp://viewer:***@127.0.0.1:8554/cam');
const info = { width: 640, height: 480, fps: 25, codec: 'h264' };

describe('connectionStateMessage', () => {
  it.each<[ConnectionState, unknown]>([
    [{ status: 'connecting', attempt: 2 }, { status: 'connecting', attempt: 2 }],
    [{ status: 'connected', since: 1000, info }, { status: 'connected', since: 1000, info }],
    [{ status: 'reconnecting', attempt: 3, delay: 4000, cause }, { status: 'reconnecting', attempt: 3, delay: 4000, cause: { code: 'ECONNREFUSED', message: cause.message } }],
    [{ status: 'failed', attempts: 5, cause, reason: 'exhausted' }, { status: 'failed', attempts: 5, cause: { code: 'ECONNREFUSED', message: cause.message }, reason: 'exhausted' }],
    [CLOSED, { status: 'closed' }],
  ])('turns %o into plain JSON that survives the wire', (state, expected) => {
    const message = connectionStateMessage(state);
    expect(message).toEqual(expected);
    expect(JSON.parse(JSON.stringify(message))).toEqual(expected);
    expect(JSON.stringify(message)).not.toContain('stack');
  });
});
