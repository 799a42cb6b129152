import type { PixelFormat } from '../capture-source.js';

/** What one ffmpeg process is asked to do, all checked already. */
export interface FfmpegSettings {
  readonly transport: 'tcp' | 'udp';
  /** Socket timeout for the open and each read, in milliseconds. */
  readonly ioTimeout: number;
  readonly pixelFormat: PixelFormat;
  /** 1 to 100, for `jpeg`. */
  readonly jpegQuality: number;
  readonly size: { readonly width: number; readonly height: number } | undefined;
  readonly maxFps: number | undefined;
  readonly hwaccel: 'vaapi' | 'cuda' | 'qsv' | undefined;
  /** Decoder threads; 0 lets ffmpeg choose. */
  readonly decoderThreads: number;
  /**
   * `latest` starts with the gate closed: the pictures ffmpeg buffered while it opened the
   * stream are only decoded, and the reader opens the gate at the live edge. `queue` wants
   * them all.
   */
  readonly delivery: 'latest' | 'queue';
}

/**
 * The shell that starts ffmpeg: it reads the input list from its stdin up to a line holding a
 * single `.`, and hands it to ffmpeg as fd 3 through a here-document. The URL, password and
 * all, thus never appears in any command line (`ps` shows those to every local user), and
 * stdin, once the list is read, stays ffmpeg's for commands. A here-document is a pipe in
 * dash and in bash 5.1 and later (a file, deleted once opened, in older shells); Node's own
 * stdio pipes are sockets, which ffmpeg cannot open by name, and the `pipe:` protocol would
 * turn off its reading of commands.
 */
export const LIST_READER = `list=
while IFS= read -r line && [ "$line" != . ]; do list="$list$line
"; done
exec "$@" 3<<RTSP_RX_LIST
$list
RTSP_RX_LIST
`;

/** ffmpeg's name for the input list: the here-document on fd 3. */
export const INPUT_LIST = '/dev/fd/3';

/**
 * The input list that ffmpeg's concat demuxer reads: the camera's URL and its options, sent on
 * stdin and followed by the `.` line that ends it.
 *
 * @example
 * ```ts
 * inputList("rtsp://u:p'w@127.0.0.1/cam", settings);
 * // "ffconcat version 1.0\nfile 'rtsp://u:p'\\''w@127.0.0.1/cam'\noption rtsp_transport tcp\noption timeout 10000000\n.\n"
 * ```
 */
export function inputList(url: string, settings: Pick<FfmpegSettings, 'transport' | 'ioTimeout'>): string {
  return [
    'ffconcat version 1.0',
    `file '${url.replaceAll("'", "'\\''")}'`,
    ...rtspOptions(settings).map(([name, value]) => `option ${name} ${value}`),
    '.',
    '',
  ].join('\n');
}

/**
 * ffmpeg's arguments after the program's name; `input` is {@link INPUT_LIST}, or the URL
 * itself for an ffmpeg too old to take options from an input list.
 *
 * One stream of pictures on stdout, and on stderr a `showinfo` line for every picture the
 * camera sent and one for every picture written. Pictures are decoded as they come; the rate
 * cap (`select`) and the gate (`framestep`, closed while nobody wants frames) drop the ones
 * nobody takes before they are scaled, converted or written, so those cost their decoding
 * only.
 *
 * @example
 * ```ts
 * ffmpegArguments(INPUT_LIST, { ...settings, maxFps: 5, pixelFormat: 'gray' }).join(' ');
 * // '-hide_banner -loglevel level+info -nostats ... -vf showinfo=checksum=0,select=...,framestep=... -pix_fmt gray -f rawvideo pipe:1'
 * ```
 */
export function ffmpegArguments(input: string, settings: FfmpegSettings): string[] {
  const fromList = input === INPUT_LIST;
  const filters = [
    'showinfo=checksum=0',
    ...(settings.maxFps === undefined ? [] : [`select='${rateCapExpression(settings.maxFps)}'`]),
    // Closed at first for the freshest picture: what ffmpeg buffered while opening the stream
    // comes out faster than the camera sends, and on a loaded machine converting and writing
    // it would take longer than the camera takes to send it again.
    `framestep=step=${GATE_STEP}:enable=${gateEnable(settings.delivery === 'queue')}`,
    ...(settings.size === undefined ? [] : [`scale=${settings.size.width}:${settings.size.height}:flags=area`]),
    // What goes out, picture by picture: ffmpeg writes each one only when the next one
    // follows it, so the reader tells a picture held back over a pause by its timestamp.
    'showinfo=checksum=0',
    // Cameras repeat timestamps (two pictures at 0 on connect, for one); encoders want them rising.
    'setpts=N',
  ];
  return [
    '-hide_banner',
    '-loglevel',
    'level+info',
    '-nostats',
    ...(settings.hwaccel === undefined ? [] : ['-hwaccel', settings.hwaccel]),
    '-threads',
    String(settings.decoderThreads),
    // Not -fflags nobuffer: without the probed packets H.265 decodes smeared until the next
    // keyframe. The buffered pictures are held back by the live edge instead.
    '-flags',
    'low_delay',
    ...(fromList
      ? ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,rtsp,rtsps,rtp,srtp,tcp,udp,tls,crypto,httpproxy']
      : rtspOptions(settings).flatMap(([name, value]) => [`-${name}`, value])),
    '-i',
    input,
    '-map',
    '0:v:0',
    '-vf',
    filters.join(','),
    // Every picture goes out as it is decoded: no frame-rate conversion, no duplicates, and
    // whole, not with its last bytes left in ffmpeg's buffer until the next one pushes them.
    '-fps_mode',
    'passthrough',
    '-flush_packets',
    '1',
    // Timestamps in the input's time base: the gate makes the chain's frame rate 25/2^31, and
    // its inverse as time base would make every picture's timestamp 0.
    '-enc_time_base',
    '-1',
    ...OUTPUTS[settings.pixelFormat](settings.jpegQuality),
    'pipe:1',
  ];
}

/** The command that opens (frames wanted) or closes the gate, written to ffmpeg's stdin. */
export function gateCommand(wanted: boolean): string {
  return `cframestep -1 enable ${gateEnable(wanted)}\n`;
}

/**
 * Seconds between pictures under a cap of `maxFps`, less 2 ms: a camera's timestamps at
 * exactly the cap's pace (25 fps capped to 5) would otherwise fall on either side of it.
 */
export function rateCapInterval(maxFps: number): number {
  return Math.max(0, 1 / maxFps - 0.002);
}

/**
 * The rate cap as `select` keeps it: the first picture, each one at least the interval after
 * the last one kept, and the picture right after each of those. ffmpeg writes a picture only
 * when the next one follows it; the second of the pair pushes the first out at once, and is
 * itself written, a whole interval late, only when the next pair comes, to be dropped then.
 * Registers 0 and 1 hold the time and number of the last picture kept for the interval.
 */
function rateCapExpression(maxFps: number): string {
  return `if(isnan(prev_selected_t)+gte(t-ld(0)\\,${rateCapInterval(maxFps)})\\,st(0\\,t)+st(1\\,n)+1\\,eq(n\\,ld(1)+1))`;
}

/**
 * Whether the rate cap keeps a picture, as {@link rateCapExpression} decides it, for the
 * heartbeats of the pictures it drops.
 *
 * @example
 * ```ts
 * const cap = rateCap(5);
 * [0, 40, 80, 120, 160, 200, 240].map((pts, n) => cap(n, pts)); // [true, true, false, false, false, true, true]
 * ```
 */
export function rateCap(maxFps: number): (n: number, ptsMs: number) => boolean {
  const interval = rateCapInterval(maxFps) * 1000;
  let keptAt: number | undefined;
  let keptN = -2;
  return (n, ptsMs) => {
    if (keptAt === undefined || ptsMs - keptAt >= interval) {
      keptAt = ptsMs;
      keptN = n;
      return true;
    }
    return n === keptN + 1;
  };
}

/** Bytes of one picture in a raw format; `undefined` for JPEG, whose size varies. */
export function pictureBytes(pixelFormat: PixelFormat, width: number, height: number): number | undefined {
  switch (pixelFormat) {
    case 'bgr':
    case 'rgb':
      return width * height * 3;
    case 'gray':
      return width * height;
    case 'yuv420p':
      return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
    case 'jpeg':
      return undefined;
  }
}

/**
 * The gate is a `framestep` that keeps one picture in two billion: enabled, it drops them all;
 * disabled, it passes them all.
 */
const GATE_STEP = 2_147_483_647;
const gateEnable = (wanted: boolean): number => (wanted ? 0 : 1);

function rtspOptions(settings: Pick<FfmpegSettings, 'transport' | 'ioTimeout'>): Array<[string, string]> {
  return [
    ['rtsp_transport', settings.transport],
    ['timeout', String(Math.round(settings.ioTimeout * 1000))],
  ];
}

const OUTPUTS: Record<PixelFormat, (jpegQuality: number) => string[]> = {
  bgr: () => ['-pix_fmt', 'bgr24', '-f', 'rawvideo'],
  rgb: () => ['-pix_fmt', 'rgb24', '-f', 'rawvideo'],
  gray: () => ['-pix_fmt', 'gray', '-f', 'rawvideo'],
  yuv420p: () => ['-pix_fmt', 'yuv420p', '-f', 'rawvideo'],
  // ffmpeg's JPEG scale runs from 2 (best) to 31; quality 100 maps to 2, 1 to 31.
  jpeg: (quality) => ['-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', String(Math.round(2 + ((100 - quality) * 29) / 99)), '-f', 'image2pipe'],
};
