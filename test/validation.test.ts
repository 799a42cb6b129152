import { describe, expect, it } from 'vitest';
import { latestFrame, rtspConnection, rtspEvents$, rtspFrames$, type RtspConnectionOptions } from '../src/index.js';
import { RtspCameras } from '../src/nestjs/index.js';
import { ffmpegCaptureSource, type FfmpegCaptureOptions } from '../src/ffmpeg/index.js';
import { opencvCaptureSource, RtspStream, type OpencvCaptureOptions, type RtspStreamOptions } from '../src/opencv/index.js';
import { captureWatchdog, shareConnection, type WatchdogConfig } from '../src/operators/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';

const PASSWORD = 'hunter2-Secret';
const URL = `rtsp://admin:${PASSWORD}@127.0.0.1:8554/cam`;
const source = fakeCaptureSource();

type Row = [entry: string, what: string, call: () => unknown, error: typeof TypeError | typeof RangeError, message: string];

/** The core's options, tried through each function that takes them. */
const coreRows = (entry: string, open: (url: unknown, options: unknown) => unknown): Row[] => [
  [entry, 'a URL that is not a string', () => open(42, { source }), TypeError, `rtsp-rx: ${entry}: url must be a string; got number`],
  [entry, 'an empty URL', () => open('', { source }), TypeError, `rtsp-rx: ${entry}: url must be an rtsp:// or rtsps:// URL; got ""`],
  [entry, 'an HTTP URL, password hidden', () => open(`http://admin:${PASSWORD}@127.0.0.1/cam`, { source }), TypeError, `rtsp-rx: ${entry}: url must be an rtsp:// or rtsps:// URL; got "http://admin:***@127.0.0.1/cam"`],
  [entry, 'a raw # in the password', () => open('rtsp://u:p@ss#w:rd@127.0.0.1/cam', { source }), TypeError, 'must be percent-encoded (encodeURIComponent), or given in the credentials option'],
  [entry, 'options that are no object', () => open(URL, 'fast'), TypeError, `rtsp-rx: ${entry}: options must be an object; got "fast"`],
  [entry, 'a missing source', () => open(URL, {}), TypeError, `rtsp-rx: ${entry}: option source is missing`],
  [entry, 'a source without open()', () => open(URL, { source: { read: () => 1 } }), TypeError, `rtsp-rx: ${entry}: option source must be a capture source (an object with an open(request) method); got { read: a function }`],
  [entry, 'a misspelt option', () => open(URL, { source, reconectDelay: 10 }), TypeError, `rtsp-rx: ${entry}: unknown option reconectDelay; did you mean reconnectDelay? The options are source, reconnectDelay,`],
  [entry, 'an option in the wrong case', () => open(URL, { source, stalltimeout: 10 }), TypeError, 'unknown option stalltimeout; did you mean stallTimeout?'],
  [entry, 'a delay given as a string', () => open(URL, { source, reconnectDelay: '1000' }), TypeError, `rtsp-rx: ${entry}: option reconnectDelay must be a number; got "1000"`],
  [entry, 'a negative delay', () => open(URL, { source, reconnectDelay: -1 }), RangeError, `rtsp-rx: ${entry}: option reconnectDelay must be a finite number of milliseconds from 0 to 2147483647; got -1`],
  [entry, 'an infinite delay', () => open(URL, { source, reconnectDelay: Infinity }), RangeError, 'option reconnectDelay must be a finite number of milliseconds from 0 to 2147483647; got Infinity'],
  [entry, 'a NaN delay', () => open(URL, { source, reconnectDelay: Number.NaN }), RangeError, 'option reconnectDelay must be a finite number of milliseconds from 0 to 2147483647; got NaN'],
  [entry, 'a delay longer than a timer can wait', () => open(URL, { source, maxReconnectDelay: 2 ** 31 }), RangeError, 'option maxReconnectDelay must be a finite number of milliseconds from 0 to 2147483647; got 2147483648'],
  [entry, 'a multiplier below 1', () => open(URL, { source, reconnectBackoff: 0.5 }), RangeError, 'option reconnectBackoff must be a finite number of at least 1; got 0.5'],
  [entry, 'a maximum delay below the first', () => open(URL, { source, reconnectDelay: 1000, maxReconnectDelay: 500 }), RangeError, 'option maxReconnectDelay (500) must not be below reconnectDelay (1000)'],
  [entry, 'a fractional attempt count', () => open(URL, { source, maxReconnectAttempts: 1.5 }), RangeError, 'option maxReconnectAttempts must be a whole number of at least 0, or Infinity; got 1.5'],
  [entry, 'jitter above 1', () => open(URL, { source, reconnectJitter: 1.5 }), RangeError, 'option reconnectJitter must be a number from 0 to 1; got 1.5'],
  [entry, 'a zero open timeout', () => open(URL, { source, openTimeout: 0 }), RangeError, 'option openTimeout must be a number of milliseconds above 0 and up to 2147483647, or Infinity; got 0'],
  [entry, 'a NaN stall timeout', () => open(URL, { source, stallTimeout: Number.NaN }), RangeError, 'option stallTimeout must be a number of milliseconds above 0 and up to 2147483647, or Infinity; got NaN'],
  [entry, 'a retry switch as a string', () => open(URL, { source, retryOnPermanentError: 'yes' }), TypeError, 'option retryOnPermanentError must be a boolean; got "yes"'],
  [entry, 'a demand that is no Observable', () => open(URL, { source, demand$: true }), TypeError, 'option demand$ must be an Observable; got true'],
  [entry, 'a logger without warn()', () => open(URL, { source, logger: { debug() {}, info() {}, error() {} } }), TypeError, `rtsp-rx: ${entry}: option logger must be an object with debug, info, warn, error methods`],
];

/** The capture options of both sources, tried through each entry point that takes them. */
const captureRows = (entry: string, make: (options: unknown) => unknown): Row[] => [
  [entry, 'a misspelt pixel format option', () => make({ pixelformat: 'gray' }), TypeError, `rtsp-rx: ${entry}: unknown option pixelformat; did you mean pixelFormat?`],
  [entry, 'an unknown pixel format', () => make({ pixelFormat: 'yuv' }), RangeError, `rtsp-rx: ${entry}: option pixelFormat must be "bgr" or "rgb" or "gray" or "yuv420p" or "jpeg"; got "yuv"`],
  [entry, 'a size given as text', () => make({ size: '640x480' }), TypeError, `rtsp-rx: ${entry}: option size must be { width: number, height: number }; got "640x480"`],
  [entry, 'a fractional size', () => make({ size: { width: 10.5, height: 4 } }), RangeError, 'option size must be whole numbers from 1 to 65535; got { width: 10.5, height: 4 }'],
  [entry, 'a frame-rate cap as a string', () => make({ maxFps: '5' }), TypeError, `rtsp-rx: ${entry}: option maxFps must be a number; got "5"`],
  [entry, 'a zero frame-rate cap', () => make({ maxFps: 0 }), RangeError, 'option maxFps must be a finite number above 0; got 0'],
  [entry, 'an infinite frame-rate cap', () => make({ maxFps: Infinity }), RangeError, 'option maxFps must be a finite number above 0; got Infinity'],
  [entry, 'a JPEG quality above 100', () => make({ pixelFormat: 'jpeg', jpegQuality: 101 }), RangeError, 'option jpegQuality must be a whole number from 1 to 100; got 101'],
  [entry, 'an unknown transport', () => make({ transport: 'http' }), RangeError, 'option transport must be "auto" or "tcp" or "udp"; got "http"'],
];

/** The OpenCV capture's own options. */
const opencvRows = (entry: string, make: (options: unknown) => unknown): Row[] => [
  ...captureRows(entry, make),
  [entry, 'a fractional queue size', () => make({ delivery: 'queue', queueSize: 7.5 }), RangeError, 'option queueSize must be a whole number above 0; got 7.5'],
];

/** Options RtspStream and the NestJS module's cameras share. */
const sharedFacadeRows = (entry: string, make: (options: unknown) => unknown): Row[] => [
  [entry, 'credentials without a password, hidden', () => make({ credentials: { username: 'a', password: 5 } }), TypeError, 'option credentials must be { username: string, password: string }; got { username: "a", password: *** }'],
  [entry, 'a logger without error()', () => make({ logger: { debug() {}, info() {}, warn() {} } }), TypeError, 'option logger must be an object with debug, info, warn, error methods'],
  [entry, 'capture options beside a source', () => make({ source, maxFps: 5, size: { width: 4, height: 4 } }), TypeError, `rtsp-rx: ${entry}: options maxFps, size configure the OpenCV capture, which the source option replaces`],
];

/** RtspStream's own options. */
const facadeRows = (entry: string, make: (options: unknown) => unknown): Row[] => [
  ...sharedFacadeRows(entry, make),
  [entry, 'a callback that is no function', () => make({ onConnect: 'yes' }), TypeError, `rtsp-rx: ${entry}: option onConnect must be a function; got "yes"`],
  [entry, 'a zero buffer size', () => make({ bufferSize: 0 }), RangeError, 'option bufferSize must be a whole number above 0; got 0'],
  [entry, 'an unknown option, listing the capture and facade options too', () => make({ frameRate: 5 }), TypeError, 'logger, releaseGrace, transport, ioTimeout, pixelFormat, jpegQuality, size, maxFps, delivery, backend, queueSize, onConnect, onDisconnect, onReconnectFailure, credentials, bufferSize, source'],
];

/** The options of a camera of the NestJS module: the registry's, and the OpenCV capture's as a shorthand. */
const moduleCameraRows = (entry: string, make: (options: unknown) => unknown): Row[] => [
  ...sharedFacadeRows(entry, make),
  [entry, "a callback, which a camera's connection$ replaces", () => make({ onConnect: () => undefined }), TypeError, `rtsp-rx: ${entry}: unknown option onConnect`],
  [entry, 'an unknown option, listing the capture options too', () => make({ frameRate: 5 }), TypeError, 'logger, releaseGrace, transport, ioTimeout, pixelFormat, jpegQuality, size, maxFps, delivery, backend, queueSize, credentials, source'],
];

const camera = (options: unknown) => new RtspCameras({ cameras: { door: { url: URL, ...(options as object) } } });
const stream = (options: unknown) => new RtspStream(URL, options as RtspStreamOptions);
const limits: WatchdogConfig = { openTimeout: 10, firstFrameTimeout: 10, stallTimeout: 10 };

const rows: Row[] = [
  ...coreRows('rtspFrames$', (url, options) => rtspFrames$(url as string, options as RtspConnectionOptions)),
  ...coreRows('rtspEvents$', (url, options) => rtspEvents$(url as string, options as RtspConnectionOptions)),
  ...coreRows('rtspConnection', (url, options) => rtspConnection(url as string, options as RtspConnectionOptions)),
  ...opencvRows('opencvCaptureSource', (options) => opencvCaptureSource(options as OpencvCaptureOptions)),
  ...captureRows('ffmpegCaptureSource', (options) => ffmpegCaptureSource(options as FfmpegCaptureOptions)),
  ['ffmpegCaptureSource', 'a queue size, which it has no use for', () => ffmpegCaptureSource({ queueSize: 5 } as never), TypeError, 'rtsp-rx: ffmpegCaptureSource: unknown option queueSize'],
  ['ffmpegCaptureSource', 'an unknown hardware decoder', () => ffmpegCaptureSource({ hwaccel: 'nvdec' } as never), RangeError, 'option hwaccel must be "vaapi" or "cuda" or "qsv"; got "nvdec"'],
  ['ffmpegCaptureSource', 'a fractional thread count', () => ffmpegCaptureSource({ decoderThreads: 1.5 }), RangeError, 'option decoderThreads must be a whole number from 0 to 64; got 1.5'],
  ['ffmpegCaptureSource', 'an empty program path', () => ffmpegCaptureSource({ ffmpegPath: ' ' }), RangeError, 'option ffmpegPath must be a path or a name on PATH; got " "'],
  ['ffmpegCaptureSource', 'the argv opt-in as a string', () => ffmpegCaptureSource({ credentialsInArgv: 'yes' } as never), TypeError, 'option credentialsInArgv must be a boolean; got "yes"'],
  ['opencvCaptureSource', 'options that are no object', () => opencvCaptureSource(5 as never), TypeError, 'rtsp-rx: opencvCaptureSource: options must be an object; got 5'],
  ['opencvCaptureSource', 'a log that is no function', () => opencvCaptureSource({ log: console } as never), TypeError, 'option log must be a function; got { '],
  ...opencvRows('RtspStream', stream),
  ...facadeRows('RtspStream', stream),
  ['RtspStream', 'a NaN delay', () => stream({ reconnectDelay: Number.NaN }), RangeError, 'rtsp-rx: RtspStream: option reconnectDelay must be a finite number of milliseconds from 0 to 2147483647; got NaN'],
  ['RtspStream', 'a URL with a raw ? in the password', () => new RtspStream('rtsp://u:p?ss@127.0.0.1/cam'), TypeError, 'rtsp-rx: RtspStream: url does not parse as an address with credentials'],
  ...opencvRows('RtspModule camera door', camera),
  ...moduleCameraRows('RtspModule camera door', camera),
  ['RtspModule camera door', 'a negative delay', () => camera({ reconnectDelay: -1 }), RangeError, 'rtsp-rx: RtspModule camera door: option reconnectDelay must be a finite number of milliseconds from 0 to 2147483647; got -1'],
  ['RtspModule camera door', 'demand$, which the module drives', () => camera({ demand$: source }), TypeError, 'rtsp-rx: RtspModule camera door: unknown option demand$'],
  ['RtspModule camera door', 'a URL that is no RTSP URL', () => new RtspCameras({ cameras: { door: { url: 'door' } } }), TypeError, 'rtsp-rx: RtspModule camera door: url must be an rtsp:// or rtsps:// URL; got "door"'],
  ['RtspModule camera door', 'a camera without URL', () => new RtspCameras({ cameras: { door: {} as never } }), TypeError, 'rtsp-rx: RtspModule camera door: url must be a string; got undefined'],
  ['RtspModule', 'cameras that are no object', () => new RtspCameras({ cameras: 'door' as never }), TypeError, 'rtsp-rx: RtspModule: option cameras must be an object of cameras by name; got "door"'],
  ['RtspModule', 'a misspelt cameras option', () => new RtspCameras({ camera: {} } as never), TypeError, 'rtsp-rx: RtspModule: unknown option camera; did you mean cameras?'],
  ['latestFrame', 'a NaN grace', () => latestFrame({ grace: Number.NaN }), RangeError, 'rtsp-rx: latestFrame: option grace must be a finite number of milliseconds from 0 to 2147483647; got NaN'],
  ['shareConnection', 'a grace as a string', () => shareConnection({ grace: '5' as never }), TypeError, 'rtsp-rx: shareConnection: option grace must be a number; got "5"'],
  ['shareConnection', 'a grace given bare, as before', () => shareConnection(5 as never), TypeError, 'rtsp-rx: shareConnection: options must be an object; got 5'],
  ['captureWatchdog', 'a NaN stall limit', () => captureWatchdog({ ...limits, stallTimeout: Number.NaN }), RangeError, 'rtsp-rx: captureWatchdog: option stallTimeout must be a number of milliseconds above 0 and up to 2147483647, or Infinity; got NaN'],
  ['captureWatchdog', 'a missing open limit', () => captureWatchdog({ firstFrameTimeout: 10, stallTimeout: 10 } as never), TypeError, 'rtsp-rx: captureWatchdog: option openTimeout must be a number; got undefined'],
  ['captureWatchdog', 'a misspelt limit', () => captureWatchdog({ ...limits, stalTimeout: 5 } as never), TypeError, 'unknown option stalTimeout; did you mean stallTimeout?'],
];

describe('every entry point checks its input at once: unknown names with a did-you-mean, TypeError for a type, RangeError for a range, the value as given, the password hidden', () => {
  it.each(rows)('%s: %s', (_entry, _what, call, error, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(error);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).not.toContain(PASSWORD);
    expect(String((thrown as Error).stack)).not.toContain(PASSWORD);
  });
});
