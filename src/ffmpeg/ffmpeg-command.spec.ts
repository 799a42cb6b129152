import { describe, expect, it } from 'vitest';
import { ffmpegArguments, gateCommand, INPUT_LIST, inputList, pictureBytes, rateCap, rateCapInterval, type FfmpegSettings } from './ffmpeg-command.js';

const settings: FfmpegSettings = { transport: 'tcp', ioTimeout: 3000, pixelFormat: 'bgr', jpegQuality: 80, size: undefined, maxFps: undefined, hwaccel: undefined, decoderThreads: 1, delivery: 'latest' };
/** The filters of the chain, split at the commas outside quotes. */
const filters = (args: string[]) => args[args.indexOf('-vf') + 1]!.match(/(?:'[^']*'|[^,'])+/g)!;

describe('ffmpeg command', () => {
  it('puts the URL in the input list, quoted for the concat demuxer, with the transport and timeout', () => {
    expect(inputList("rtsp://u:it's@127.0.0.1/cam", settings)).toBe(
      "ffconcat version 1.0\nfile 'rtsp://u:it'\\''s@127.0.0.1/cam'\noption rtsp_transport tcp\noption timeout 3000000\n.\n",
    );
  });

  it('reads the input list from fd 3 and never names the camera in its arguments', () => {
    const args = ffmpegArguments(INPUT_LIST, settings);
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', '/dev/fd/3']);
    expect(args.join(' ')).not.toMatch(/rtsp:/);
    expect(args.slice(-3)).toEqual(['-f', 'rawvideo', 'pipe:1']);
  });

  it('an old ffmpeg gets the URL and its options as arguments', () => {
    const args = ffmpegArguments('rtsp://127.0.0.1/cam', { ...settings, transport: 'udp' });
    expect(args.join(' ')).toMatch(/-rtsp_transport udp -timeout 3000000 -i rtsp:\/\/127\.0\.0\.1\/cam/);
    expect(args).not.toContain('concat');
  });

  it('drops what nobody takes before it is scaled or converted: showinfo, rate cap, gate, then scale', () => {
    const chain = filters(ffmpegArguments(INPUT_LIST, { ...settings, maxFps: 5, size: { width: 640, height: 360 } }));
    expect(chain.map((filter) => filter.split('=')[0])).toEqual(['showinfo', 'select', 'framestep', 'scale', 'showinfo', 'setpts']);
    expect(chain[1]).toBe("select='if(isnan(prev_selected_t)+gte(t-ld(0)\\,0.198)\\,st(0\\,t)+st(1\\,n)+1\\,eq(n\\,ld(1)+1))'");
    expect(chain[2]).toBe('framestep=step=2147483647:enable=1');
  });

  it('starts with the gate closed for the latest picture (the reader opens it at the live edge), open for a queue', () => {
    const gate = (delivery: FfmpegSettings['delivery']) => filters(ffmpegArguments(INPUT_LIST, { ...settings, delivery })).find((filter) => filter.startsWith('framestep'));
    expect(gate('latest')).toBe('framestep=step=2147483647:enable=1');
    expect(gate('queue')).toBe('framestep=step=2147483647:enable=0');
  });

  it('writes each pixel format as ffmpeg names it', () => {
    const output = (pixelFormat: FfmpegSettings['pixelFormat'], jpegQuality = 80) => ffmpegArguments(INPUT_LIST, { ...settings, pixelFormat, jpegQuality }).slice(-7).join(' ');
    expect(output('rgb')).toMatch(/-pix_fmt rgb24 -f rawvideo pipe:1$/);
    expect(output('gray')).toMatch(/-pix_fmt gray -f rawvideo pipe:1$/);
    expect(output('yuv420p')).toMatch(/-pix_fmt yuv420p -f rawvideo pipe:1$/);
    expect(output('jpeg', 100)).toMatch(/-c:v mjpeg -q:v 2 -f image2pipe pipe:1$/);
    expect(output('jpeg', 1)).toMatch(/-q:v 31 -f image2pipe pipe:1$/);
  });

  it('decodes on one thread unless told otherwise, an option of the decoder, before the input', () => {
    const args = ffmpegArguments(INPUT_LIST, { ...settings, decoderThreads: 0 });
    expect(args.slice(args.indexOf('-threads'), args.indexOf('-threads') + 2)).toEqual(['-threads', '0']);
    expect(args.indexOf('-threads')).toBeLessThan(args.indexOf('-i'));
  });

  it('passes hwaccel through before the input', () => {
    const args = ffmpegArguments(INPUT_LIST, { ...settings, hwaccel: 'vaapi' });
    expect(args.indexOf('-hwaccel')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-hwaccel') + 1]).toBe('vaapi');
  });

  it('opens and closes the gate with one command line each', () => {
    expect(gateCommand(true)).toBe('cframestep -1 enable 0\n');
    expect(gateCommand(false)).toBe('cframestep -1 enable 1\n');
  });

  it('a cap at the camera’s exact pace keeps every fifth picture of 25 fps at 5 fps, each with the one that pushes it out', () => {
    const cap = rateCap(5);
    const kept = Array.from({ length: 25 }, (_, n) => n).filter((n) => cap(n, n * 40));
    expect(kept).toEqual([0, 1, 5, 6, 10, 11, 15, 16, 20, 21]);
    expect(rateCapInterval(5)).toBe(0.198);
  });

  it('knows the bytes of a raw picture, I420 with odd sides included', () => {
    expect(pictureBytes('bgr', 4, 3)).toBe(36);
    expect(pictureBytes('gray', 4, 3)).toBe(12);
    expect(pictureBytes('yuv420p', 4, 2)).toBe(12);
    expect(pictureBytes('yuv420p', 5, 3)).toBe(15 + 2 * 3 * 2);
    expect(pictureBytes('jpeg', 4, 3)).toBeUndefined();
  });
});
