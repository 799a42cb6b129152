import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureProcessesOf, packedPackage, root, scratch, tsc, type PackedPackage } from './packed-package.js';

interface Manifest {
  license: string;
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  exports: Record<string, Record<string, Record<string, string>> | string>;
  typesVersions: Record<string, Record<string, string[]>>;
  sideEffects: boolean;
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

const ENTRY_POINTS = ['rtsp-rx', 'rtsp-rx/operators', 'rtsp-rx/testing', 'rtsp-rx/opencv', 'rtsp-rx/ffmpeg', 'rtsp-rx/http', 'rtsp-rx/nestjs', 'rtsp-rx/metrics', 'rtsp-rx/nats'];
const PUBLIC_API = [
  [
    'CLOSED',
    'CameraDemand',
    'PERMANENT_ERROR_CODES',
    'RTSP_ERROR_CODES',
    'ReconnectExhaustedError',
    'RtspError',
    'cameraAddress',
    'cameraMetrics',
    'connectionStateMessage',
    'debugLogger',
    'describeState',
    'givingUpError',
    'latestFrame',
    'latestFrameReader',
    'redactUrl',
    'rtspCameras',
    'rtspConnection',
    'rtspEvents$',
    'rtspFrames$',
  ],
  ['captureWatchdog', 'selectConnectionState', 'selectFrames', 'shareConnection'],
  ['captureProcesses', 'fakeCaptureSource', 'lateKeyframeRecording', 'readStamp', 'resolutionChangeRecording', 'startNatsServer', 'startTestCamera'],
  ['RtspStream', 'loadOpenCv', 'opencvCaptureSource', 'toMat'],
  ['ffmpegCaptureSource'],
  ['CameraDemand', 'streamMjpeg'],
  ['RtspCameras', 'RtspModule'],
  ['captureProcessUsage', 'registerCameraMetrics', 'withProcessUsage'],
  ['OWNERSHIP_SUBJECT', 'assignCameras', 'cameraState$', 'openFleet', 'publishJson', 'publishSnapshots', 'publishState', 'startFleetWorker'],
];

let packed: PackedPackage;
let work: string;
/** The environment of a user's shell: not the variable the tests set for the addon's build. */
const { OPENCV4NODEJS_DISABLE_AUTOBUILD: _, ...userEnv } = process.env;
const node = (...args: string[]) => execFileSync(process.execPath, args, { cwd: work, encoding: 'utf8', env: { ...userEnv, NODE_DEBUG: '' } });

beforeAll(() => {
  packed = packedPackage();
  work = scratch(packed, 'package-test');
}, 180_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the package, packed with npm pack and installed from the tarball', () => {
  it('loads every entry point with require() and with import, with the same exported names', () => {
    const script = (load: string) =>
      `${load}.then((entries) => console.log(JSON.stringify(entries.map((entry) => Object.keys(entry).filter((k) => k !== 'default' && k !== 'module.exports').sort()))))`;
    const fromRequire = node('-e', script(`Promise.resolve([${ENTRY_POINTS.map((entry) => `require('${entry}')`).join(', ')}])`));
    const fromImport = node('--input-type=module', '-e', script(`Promise.all([${ENTRY_POINTS.map((entry) => `import('${entry}')`).join(', ')}])`));
    expect(JSON.parse(fromRequire)).toEqual(PUBLIC_API);
    expect(JSON.parse(fromImport)).toEqual(PUBLIC_API);
  });

  it('finds its capture process in the installed package and captures 3 frames of the test camera through opencvCaptureSource(), with require() and with import', async () => {
    const capture = (entry: string) => `${entry}.then(async ([{ rtspFrames$ }, { opencvCaptureSource }, { startTestCamera, readStamp, captureProcesses }, { firstValueFrom, take, tap, toArray }]) => {
        const camera = await startTestCamera();
        try {
          let running;
          const frames = await firstValueFrom(rtspFrames$(camera.url, { source: opencvCaptureSource() }).pipe(tap(() => (running ??= captureProcesses().map((p) => p.cmdline))), take(3), toArray()));
          for (const command of running) console.log(command.slice(command.indexOf('node_modules')).trim());
          for (const frame of frames) console.log(frame.sequence, frame.width, frame.height, readStamp(frame) === undefined ? 'unstamped' : 'stamped');
        } finally {
          await camera.close();
        }
      }).catch((error) => { console.error(error); process.exit(1); })`;
    const fromRequire = node('-e', capture(`Promise.resolve([require('rtsp-rx'), require('rtsp-rx/opencv'), require('rtsp-rx/testing'), require('rxjs')])`));
    const fromImport = node('--input-type=module', '-e', capture(`Promise.all([import('rtsp-rx'), import('rtsp-rx/opencv'), import('rtsp-rx/testing'), import('rxjs')])`));
    const frames = '1 320 240 stamped\n2 320 240 stamped\n3 320 240 stamped\n';
    expect(fromRequire).toBe(`node_modules/rtsp-rx/dist/cjs/opencv/capture-process.js\n${frames}`);
    expect(fromImport).toBe(`node_modules/rtsp-rx/dist/esm/opencv/capture-process.js\n${frames}`);
    // Killed as the script ended. With both cores busy (CI) the kernel took over 2 s to finish
    // one: a leaked process would stay for good, so waiting longer proves the same.
    await expect.poll(() => captureProcessesOf(packed), { timeout: 10_000 }).toEqual([]);
  }, 60_000);

  it('captures through ffmpegCaptureSource() with the OpenCV addon out of reach, with require() and with import', () => {
    // What an application without the native build has: rtsp-rx, rxjs and an ffmpeg on PATH.
    const hide = join(work, 'hide-addon.mjs');
    writeFileSync(
      hide,
      `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(\`export async function resolve(specifier, context, next) { if (specifier.startsWith('@u4/opencv4nodejs')) throw new Error('no addon here'); return next(specifier, context); }\`));\n`,
    );
    const capture = (entry: string) => `${entry}.then(async ([{ rtspFrames$ }, { ffmpegCaptureSource }, { startTestCamera, readStamp }, { firstValueFrom, take, toArray }]) => {
        const camera = await startTestCamera();
        try {
          const frames = await firstValueFrom(rtspFrames$(camera.url, { source: ffmpegCaptureSource() }).pipe(take(3), toArray()));
          for (const frame of frames) console.log(frame.sequence, frame.width, frame.height, readStamp(frame) === undefined ? 'unstamped' : 'stamped');
        } finally {
          await camera.close();
        }
      }).catch((error) => { console.error(error); process.exit(1); })`;
    const frames = '1 320 240 stamped\n2 320 240 stamped\n3 320 240 stamped\n';
    expect(node('--import', hide, '-e', capture(`Promise.resolve([require('rtsp-rx'), require('rtsp-rx/ffmpeg'), require('rtsp-rx/testing'), require('rxjs')])`))).toBe(frames);
    expect(node('--import', hide, '--input-type=module', '-e', capture(`Promise.all([import('rtsp-rx'), import('rtsp-rx/ffmpeg'), import('rtsp-rx/testing'), import('rxjs')])`))).toBe(frames);
  }, 60_000);

  it('installs the rtsp-rx command', () => {
    const help = execFileSync(join(packed.project, 'node_modules/.bin/rtsp-rx'), ['--help'], { cwd: work, encoding: 'utf8', env: userEnv });
    expect(help).toMatch(/probe \[options\] <url\.\.\.>/);
    expect(help).toMatch(/snapshot \[options\] <url>/);
  });

  it("runs the README's check of the set-up: it loads the addon and prints OpenCV's version, nothing else", () => {
    const readme = readFileSync(join(packed.installed, 'README.md'), 'utf8');
    const check = /^node -e "(.*)"$/m.exec(readme);
    expect(check, 'the check in the README').not.toBeNull();
    expect(node('-e', check![1]!)).toMatch(/^\{ major: 4, minor: \d+, revision: \d+ \}\n$/);
  });

  describe('type-checks for its consumers (strict, full library check)', () => {
    const imports = [
      `import type { ServerResponse } from 'node:http';`,
      `import { rtspCameras, rtspEvents$, rtspFrames$, type Frame } from 'rtsp-rx';`,
      `import { CameraDemand, streamMjpeg } from 'rtsp-rx/http';`,
      `import { RtspModule } from 'rtsp-rx/nestjs';`,
      `import { RtspStream, loadOpenCv, opencvCaptureSource, toMat } from 'rtsp-rx/opencv';`,
      `import { ffmpegCaptureSource } from 'rtsp-rx/ffmpeg';`,
      `import { registerCameraMetrics, withProcessUsage } from 'rtsp-rx/metrics';`,
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
      `const stream = new RtspStream('rtsp://127.0.0.1/cam', { maxFps: 5 }).start();`,
      `const edges = (frame: Frame): number => toMat(frame, loadOpenCv()).countNonZero();`,
      `const nest = RtspModule.forRoot({ cameras: { door: { url: 'rtsp://127.0.0.1/cam', source: opencvCaptureSource() } } });`,
      `const light = rtspFrames$('rtsp://127.0.0.1/cam', { source: ffmpegCaptureSource({ pixelFormat: 'yuv420p', maxFps: 5 }) });`,
      `const metrics = registerCameraMetrics(rtspCameras({ source: ffmpegCaptureSource() }));`,
      `const usage$ = rtspCameras({ source: fakeCaptureSource() }).add('door', { url: 'rtsp://127.0.0.1/cam' }).metrics$.pipe(withProcessUsage());`,
      `export { camera, check, edges, light, live, metrics, nest, shared, stream, usage$ };`,
    ].join('\n');
    const typeCheck = (files: Record<string, string>, options: string[]) => {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
      const result = tsc(packed, work, ['--noEmit', '--strict', '--target', 'es2022', '--types', 'node', ...options, ...Object.keys(files)]);
      // @u4/opencv4nodejs 7.1.2 ships one declaration TypeScript rejects (FacemarkLBFParams.d.ts,
      // a constructor with a return type), so an application that imports rtsp-rx/opencv, or the
      // addon itself, needs skipLibCheck, as `tsc --init` sets it. The rest is checked in full.
      const errors = result.errors.filter((line) => !/node_modules\/@u4\/opencv4nodejs\/typings\/FacemarkLBFParams\.d\.ts\(\d+,\d+\): error TS1093:/.test(line));
      const fromPackage = (tree: string) => result.files.some((file) => file.endsWith(`/node_modules/rtsp-rx/dist/${tree}/index.d.ts`));
      return { errors, esm: fromPackage('esm'), cjs: fromPackage('cjs') };
    };

    it('nodenext: an ES module and a CommonJS module, each with the declarations of its own build', () => {
      expect(typeCheck({ 'esm.mts': `${imports}\n${usage}\n`, 'cjs.cts': `${imports}\n${usage}\n` }, ['--module', 'nodenext', '--moduleResolution', 'nodenext'])).toEqual({ errors: [], esm: true, cjs: true });
    }, 60_000);

    it('bundler (module esnext): the ESM declarations', () => {
      expect(typeCheck({ 'bundled.ts': `${imports}\n${usage}\n` }, ['--module', 'esnext', '--moduleResolution', 'bundler'])).toEqual({ errors: [], esm: true, cjs: false });
    }, 60_000);

    it('node10 (module commonjs, the older NestJS default), which reads no exports: the subpaths resolve through typesVersions', () => {
      expect(typeCheck({ 'node10.ts': `${imports}\n${usage}\n` }, ['--module', 'commonjs', '--moduleResolution', 'node10', '--esModuleInterop'])).toEqual({ errors: [], esm: false, cjs: true });
    }, 60_000);
  });

  it('ships the built code, a LICENSE, the sources its source maps name, and no tests', () => {
    const files = new Set(packed.files);
    for (const path of ['LICENSE', 'README.md', 'package.json', 'dist/esm/index.js', 'dist/cjs/index.js', 'dist/cjs/package.json', 'dist/esm/opencv/capture-process.js', 'dist/cjs/opencv/capture-process.js', 'dist/esm/testing/rtsp-camera.py', 'dist/cjs/testing/rtsp-camera.py']) {
      expect(files, path).toContain(path);
    }
    expect(readFileSync(join(packed.installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the rtsp-rx authors\n/);
    expect(manifest.license).toBe('MIT');
    expect(packed.files.filter((path) => /\.(spec|test)(-d)?\./.test(path))).toEqual([]);

    const missing: string[] = [];
    const maps = packed.files.filter((path) => path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(100);
    for (const map of maps) {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(packed.installed, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const path = normalize(join(dirname(map), sourceRoot, source));
        if (!files.has(path)) missing.push(`${map} -> ${path}`);
      }
    }
    for (const code of packed.files.filter((path) => /\.(js|d\.ts)$/.test(path))) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(packed.installed, code), 'utf8'))?.[1];
      if (url !== undefined && !files.has(normalize(join(dirname(code), url)))) missing.push(`${code} -> ${url}`);
    }
    expect(missing).toEqual([]);
  });

  it("says where it comes from, so the registry's page shows the README's pictures and links", () => {
    const installed = JSON.parse(readFileSync(join(packed.installed, 'package.json'), 'utf8')) as Manifest;
    expect(installed.repository).toEqual({ type: 'git', url: 'git+https://github.com/rtsp-rx/rtsp-rx.git' });
    expect(installed.homepage).toBe('https://github.com/rtsp-rx/rtsp-rx#readme');
    expect(installed.bugs).toEqual({ url: 'https://github.com/rtsp-rx/rtsp-rx/issues' });
    // npm rewrites a relative link against the repository; each must name a file in it.
    const readme = readFileSync(join(packed.installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((link) => !/^[a-z]+:|^#/.test(link));
    expect(links).toContain('docs/dashboard.png');
    const tracked = execFileSync('git', ['ls-files', '--', ...links], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(tracked.sort()).toEqual([...new Set(links)].sort());
  });

  it('puts `types` first in every export condition, maps every subpath for node10, has no side effects, and keeps rxjs a peer', () => {
    for (const [entry, conditions] of Object.entries(manifest.exports)) {
      if (typeof conditions === 'string') continue;
      for (const [condition, target] of Object.entries(conditions)) {
        expect(Object.keys(target)[0], `${entry} ${condition}`).toBe('types');
      }
      if (entry !== '.') expect(manifest.typesVersions['*']?.[entry.slice(2)], entry).toEqual([conditions['require']!['types']]);
    }
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.peerDependencies).toHaveProperty('rxjs');
    // The core's ts-pattern, the metrics' prom-client and pidusage, NATS' clients, and the command's own.
    expect(Object.keys(manifest.dependencies)).toEqual(['@nats-io/jetstream', '@nats-io/kv', '@nats-io/obj', '@nats-io/transport-node', 'commander', 'pidusage', 'pngjs', 'prom-client', 'ts-pattern', 'yaml']);
  });
});
