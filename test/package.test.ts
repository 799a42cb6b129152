import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, Record<string, string>> | string>;
  sideEffects: boolean;
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};
const PUBLIC_API = [
  'CLOSED',
  'PERMANENT_ERROR_CODES',
  'RTSP_ERROR_CODES',
  'ReconnectExhaustedError',
  'RtspError',
  'cameraAddress',
  'connectionStateMessage',
  'debugLogger',
  'describeState',
  'givingUpError',
  'latestFrame',
  'latestFrameReader',
  'redactUrl',
  'rtspConnection',
  'rtspEvents$',
  'rtspFrames$',
];
const OPERATORS_API = ['captureWatchdog', 'selectConnectionState', 'selectFrames', 'shareConnection'];
const TESTING_API = ['captureProcesses', 'fakeCaptureSource', 'lateKeyframeRecording', 'readStamp', 'resolutionChangeRecording', 'startTestCamera'];
const OPENCV_API = ['RtspStream', 'loadOpenCv', 'opencvCaptureSource', 'toMat'];
const HTTP_API = ['CameraDemand', 'streamMjpeg'];
const NESTJS_API = ['RtspCameras', 'RtspModule'];

let consumer: string;
const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8' });

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
  consumer = mkdtempSync(join(tmpdir(), 'rtsp-rx-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules', 'rtsp-rx'), 'dir');
  symlinkSync(join(root, 'node_modules', 'rxjs'), join(consumer, 'node_modules', 'rxjs'), 'dir');
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the published package', () => {
  it('loads with require() and with import, with the same public API', () => {
    const script = (load: string) =>
      `${load}.then((entries) => console.log(JSON.stringify(entries.map((entry) => Object.keys(entry).filter((k) => k !== 'default' && k !== 'module.exports').sort()))))`;
    const fromRequire = node('-e', script(`Promise.resolve([require('rtsp-rx'), require('rtsp-rx/operators'), require('rtsp-rx/testing'), require('rtsp-rx/opencv'), require('rtsp-rx/http'), require('rtsp-rx/nestjs')])`));
    const fromImport = node('--input-type=module', '-e', script(`Promise.all([import('rtsp-rx'), import('rtsp-rx/operators'), import('rtsp-rx/testing'), import('rtsp-rx/opencv'), import('rtsp-rx/http'), import('rtsp-rx/nestjs')])`));
    expect(JSON.parse(fromRequire)).toEqual([PUBLIC_API, OPERATORS_API, TESTING_API, OPENCV_API, HTTP_API, NESTJS_API]);
    expect(JSON.parse(fromImport)).toEqual(JSON.parse(fromRequire));
  });

  it('captures the built test camera through the built OpenCV entry point and reads its stamps, with require() and with import', () => {
    const capture = (entry: string) => `${entry}.then(async ([{ rtspFrames$ }, { opencvCaptureSource }, { startTestCamera, readStamp }, { firstValueFrom, take, toArray }]) => {
        const camera = await startTestCamera();
        try {
          const frames = await firstValueFrom(rtspFrames$(camera.url, { source: opencvCaptureSource() }).pipe(take(3), toArray()));
          for (const frame of frames) console.log(frame.sequence, frame.width, frame.height, readStamp(frame) === undefined ? 'unstamped' : 'stamped');
        } finally {
          await camera.close();
        }
      }).catch((error) => { console.error(error); process.exit(1); })`;
    const fromRequire = node('-e', capture(`Promise.resolve([require('rtsp-rx'), require('rtsp-rx/opencv'), require('rtsp-rx/testing'), require('rxjs')])`));
    const fromImport = node('--input-type=module', '-e', capture(`Promise.all([import('rtsp-rx'), import('rtsp-rx/opencv'), import('rtsp-rx/testing'), import('rxjs')])`));
    expect(fromRequire).toBe('1 320 240 stamped\n2 320 240 stamped\n3 320 240 stamped\n');
    expect(fromImport).toBe(fromRequire);
  });

  it('type-checks for ESM and CommonJS consumers', () => {
    const imports = [
      `import type { ServerResponse } from 'node:http';`,
      `import { rtspEvents$, rtspFrames$, type Frame } from 'rtsp-rx';`,
      `import { CameraDemand, streamMjpeg } from 'rtsp-rx/http';`,
      `import { selectConnectionState, shareConnection } from 'rtsp-rx/operators';`,
      `import { fakeCaptureSource, startTestCamera, type TestCamera } from 'rtsp-rx/testing';`,
      `import type { Observable, Subscription } from 'rxjs';`,
    ].join('\n');
    const usage = [
      `const frames$ = rtspFrames$('rtsp://127.0.0.1/cam', { source: fakeCaptureSource() });`,
      `const check: Observable<Frame> = frames$;`,
      `const shared = rtspEvents$('rtsp://127.0.0.1/cam', { source: fakeCaptureSource() }).pipe(shareConnection({ grace: 1000 }), selectConnectionState());`,
      `const camera: Promise<TestCamera> = startTestCamera({ codec: 'h265' });`,
      `const live = (response: ServerResponse): Subscription => streamMjpeg(new CameraDemand().taking(frames$), response);`,
      `export { camera, check, live, shared };`,
    ].join('\n');
    writeFileSync(join(consumer, 'esm.mts'), `${imports}\n${usage}\n`);
    writeFileSync(join(consumer, 'cjs.cts'), `${imports}\n${usage}\n`);
    symlinkSync(join(root, 'node_modules', '@types'), join(consumer, 'node_modules', '@types'), 'dir');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => node(tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', 'esm.mts', 'cjs.cts')).not.toThrow();
  });

  it('puts `types` first in every export condition, has no side effects, and keeps rxjs a peer', () => {
    for (const [entry, conditions] of Object.entries(manifest.exports)) {
      if (typeof conditions === 'string') continue;
      for (const [condition, target] of Object.entries(conditions)) {
        expect(Object.keys(target)[0], `${entry} ${condition}`).toBe('types');
      }
    }
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.peerDependencies).toHaveProperty('rxjs');
    expect(Object.keys(manifest.dependencies)).toEqual(['ts-pattern']);
  });

  it('ships the built code and no tests', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('dist/esm/index.js');
    expect(paths).toContain('dist/cjs/index.js');
    expect(paths).toContain('dist/cjs/package.json');
    expect(paths).toContain('dist/cjs/opencv/capture-process.js');
    expect(paths).toContain('dist/esm/opencv/capture-process.js');
    expect(paths).toContain('dist/cjs/testing/rtsp-camera.py');
    expect(paths).toContain('dist/esm/testing/rtsp-camera.py');
    expect(paths.filter((path) => /\.(spec|test)(-d)?\./.test(path))).toEqual([]);
  });
});
