import { describe, expect, it } from 'vitest';
import { ReconnectExhaustedError, RtspError } from '../src/index.js';
import { toRtspError } from '../src/errors.js';

const keep = (text: string) => text;

describe('toRtspError', () => {
  it('passes an RtspError through untouched', () => {
    const error = new RtspError('NOT_FOUND', 'no such path');
    expect(toRtspError(error, keep)).toBe(error);
  });

  it('keeps a known code of a foreign error, such as a Node socket error', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8554'), { code: 'ECONNREFUSED' });
    expect(toRtspError(socket, keep)).toMatchObject({ name: 'RtspError', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8554' });
  });

  it('reports anything else as CAPTURE_ERROR', () => {
    expect(toRtspError(Object.assign(new Error('odd'), { code: 'EWHATEVER' }), keep).code).toBe('CAPTURE_ERROR');
    expect(toRtspError('a string', keep)).toMatchObject({ code: 'CAPTURE_ERROR', message: 'a string' });
    expect(toRtspError(undefined, keep)).toMatchObject({ code: 'CAPTURE_ERROR', message: 'undefined' });
  });

  it('rewrites a message that holds a secret, stack included', () => {
    const error = toRtspError(new RtspError('UNAUTHORIZED', 'rtsp://a:pw@h refused'), (text) => text.replace('pw', '***'));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'rtsp://a:***@h refused' });
    expect(error.stack).not.toContain(':pw@');
  });
});

describe('ReconnectExhaustedError', () => {
  it('carries the attempt count and the last cause', () => {
    const cause = new RtspError('ECONNREFUSED', 'refused');
    const error = new ReconnectExhaustedError(5, cause);
    expect(error).toBeInstanceOf(RtspError);
    expect(error).toMatchObject({ name: 'ReconnectExhaustedError', code: 'RECONNECT_EXHAUSTED', attempts: 5, cause });
    expect(error.message).toBe('gave up after 5 reconnect attempt(s): refused');
  });
});
