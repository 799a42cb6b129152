import { describe, expect, it } from 'vitest';
import { cameraAddress, redactUrl, rtspConnection } from '../src/index.js';
import { RtspStream } from '../src/opencv/index.js';

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('rtsp://admin:hunter2@127.0.0.1:8554/cam?x=1')).toBe('rtsp://admin:***@127.0.0.1:8554/cam?x=1');
  });

  it('leaves a URL without password as it is', () => {
    expect(redactUrl('rtsp://admin@127.0.0.1/cam')).toBe('rtsp://admin@127.0.0.1/cam');
    expect(redactUrl('rtsp://127.0.0.1/cam')).toBe('rtsp://127.0.0.1/cam');
  });

  it('hides the credentials of text that does not parse as a URL, up to the last @', () => {
    expect(redactUrl('rtsp://admin:p ss@[bad/cam')).toBe('rtsp://***@[bad/cam');
    expect(redactUrl('rtsp://u:p?s@ss@127.0.0.1/cam')).toBe('rtsp://***@127.0.0.1/cam');
  });

  it('hides what a raw # cut off a password', () => {
    expect(redactUrl('rtsp://u:p@ss#w:rd@127.0.0.1/cam')).not.toContain('w:rd');
  });
});

describe('cameraAddress', () => {
  it('holds the URL, its redacted form, and a scrubber of the password in its raw and decoded spelling', () => {
    const address = cameraAddress('test', 'rtsp://admin:p%40ss%3Aword@127.0.0.1/cam');
    expect(address.url).toBe('rtsp://admin:p%40ss%3Aword@127.0.0.1/cam');
    expect(address.redacted).toBe('rtsp://admin:***@127.0.0.1/cam');
    expect(address.scrub('auth failed for p%40ss%3Aword and p@ss:word')).toBe('auth failed for *** and ***');
  });

  it('changes nothing when the URL has no password', () => {
    expect(cameraAddress('test', 'rtsp://127.0.0.1/cam').scrub('any text')).toBe('any text');
  });

  it('never masks a password that is part of another word', () => {
    const { scrub } = cameraAddress('test', 'rtsp://u:p@127.0.0.1/cam');
    expect(scrub('could not open the stream at rtsp://u:p@127.0.0.1/cam')).toBe('could not open the stream at rtsp://u:***@127.0.0.1/cam');
  });

  it('puts credentials given apart into the URL, percent-encoded', () => {
    const address = cameraAddress('test', 'rtsp://old:old@127.0.0.1/cam', { username: 'admin', password: 'p@ss#w:rd' });
    expect(address.url).toBe('rtsp://admin:p%40ss%23w%3Ard@127.0.0.1/cam');
    expect(address.redacted).toBe('rtsp://admin:***@127.0.0.1/cam');
    expect(address.scrub('p@ss#w:rd')).toBe('***');
  });

  it.each([
    ['a raw #', 'rtsp://u:p@ss#w:rd@127.0.0.1/cam'],
    ['a raw ?', 'rtsp://u:p?ss@127.0.0.1/cam'],
    ['a raw /', 'rtsp://u:pa/ss@127.0.0.1/cam'],
  ])('explains a password with %s written raw: percent-encoding or the credentials option, the password hidden', (_, url) => {
    for (const open of [() => rtspConnection(url, { source: { open: () => { throw new Error('unused'); } } }), () => new RtspStream(url)]) {
      expect(open).toThrow(TypeError);
      expect(open).toThrow(/percent-encoded \(encodeURIComponent\), or given in the credentials option/);
      try {
        open();
      } catch (error) {
        expect((error as Error).message).not.toMatch(/w:rd|p\?ss|pa\/ss/);
      }
    }
  });

  it.each([
    ['a number', 42, 'url must be a string; got number'],
    ['an http URL', 'http://127.0.0.1/cam', 'url must be an rtsp:// or rtsps:// URL; got "http://127.0.0.1/cam"'],
    ['no URL at all', 'camera one', 'url must be an rtsp:// or rtsps:// URL; got "camera one"'],
    ['a fragment', 'rtsp://127.0.0.1/cam#x', 'url must have no #fragment'],
  ])('rejects %s, naming the entry point', (_, url, message) => {
    expect(() => cameraAddress('rtspFrames$', url)).toThrow(`rtsp-rx: rtspFrames$: ${message}`);
  });
});
