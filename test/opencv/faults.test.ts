import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { rtspFrames$ } from '../../src/index.js';
import { opencvCaptureSource } from '../../src/opencv/index.js';
import { faultMatrix } from '../capture/fault-matrix.js';
import { QUICK } from './support.js';

/** A module hook that makes the OpenCV addon impossible to find, as on a machine without it. */
const HIDE_ADDON = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  export async function resolve(specifier, context, next) {
    if (specifier === '@u4/opencv4nodejs') throw Object.assign(new Error("Cannot find package '@u4/opencv4nodejs'"), { code: 'ERR_MODULE_NOT_FOUND' });
    return next(specifier, context);
  }\`));
`;

faultMatrix({ name: 'the OpenCV capture source', make: (options) => opencvCaptureSource({ ioTimeout: 3000, ...options }) }, ({ source, camera }) => {
  it('a capture that cannot start (the addon missing): CAPTURE_UNAVAILABLE at once, never retried in silence', async () => {
    const cam = await camera();
    const hooks = join(mkdtempSync(join(tmpdir(), 'rtsp-rx-no-addon-')), 'hide-addon.mjs');
    writeFileSync(hooks, HIDE_ADDON);
    const before = process.env['NODE_OPTIONS'];
    process.env['NODE_OPTIONS'] = `${before ?? ''} --import ${hooks}`;
    try {
      const frames: string[] = [];
      const error = await new Promise<unknown>((resolve) => rtspFrames$(cam.url, { source: source(), ...QUICK }).subscribe({ next: () => frames.push('frame'), error: resolve }));
      expect(frames).toEqual([]);
      expect(error).toMatchObject({ code: 'CAPTURE_UNAVAILABLE', message: expect.stringMatching(/^the OpenCV addon @u4\/opencv4nodejs could not be loaded \(Cannot find package '@u4\/opencv4nodejs'/) });
    } finally {
      if (before === undefined) delete process.env['NODE_OPTIONS'];
      else process.env['NODE_OPTIONS'] = before;
      rmSync(dirname(hooks), { recursive: true });
    }
  });


});
