import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/index.js';
import { secretScrubber } from '../src/redact.js';

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('rtsp://admin:hunter2@127.0.0.1:8554/cam?x=1')).toBe('rtsp://admin:***@127.0.0.1:8554/cam?x=1');
  });

  it('leaves a URL without password as it is', () => {
    expect(redactUrl('rtsp://admin@127.0.0.1/cam')).toBe('rtsp://admin@127.0.0.1/cam');
    expect(redactUrl('rtsp://127.0.0.1/cam')).toBe('rtsp://127.0.0.1/cam');
  });

  it('hides the credentials of text that does not parse as a URL', () => {
    expect(redactUrl('rtsp://admin:p ss@[bad/cam')).toBe('rtsp://***@[bad/cam');
  });
});

describe('secretScrubber', () => {
  it('removes the password in its raw and its decoded spelling', () => {
    const scrub = secretScrubber('rtsp://admin:p%40ss%3Aword@127.0.0.1/cam');
    expect(scrub('auth failed for p%40ss%3Aword and p@ss:word')).toBe('auth failed for *** and ***');
  });

  it('changes nothing when the URL has no password', () => {
    expect(secretScrubber('rtsp://127.0.0.1/cam')('any text')).toBe('any text');
  });
});
