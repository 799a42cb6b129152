import { describe, expect, it } from 'vitest';
import { FfmpegLog } from './ffmpeg-log.js';

const SESSION = [
  "[info] Input #0, concat, from '/dev/fd/3':",
  '[info]   Duration: N/A, start: 0.000000, bitrate: N/A',
  '[info]   Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(tv, smpte170m, progressive), 320x240 [SAR 1:1 DAR 4:3], 25 fps, 25 tbr, 90k tbn',
  '[info] Stream mapping:',
  '[info]   Stream #0:0 -> #0:0 (h264 (native) -> rawvideo (native))',
  '[Parsed_showinfo_0 @ 0x5601637ffe00] [info] n:   2 pts:   3600 pts_time:0.04    pos:       -1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:0 type:P ',
  '[Parsed_showinfo_0 @ 0x5601637ffe00] [info] color_range:tv color_space:smpte170m color_primaries:smpte170m color_trc:smpte170m',
  '[Parsed_showinfo_2 @ 0x5601637ffe80] [info] n:   0 pts:   3600 pts_time:0.04    pos:       -1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:0 type:P ',
  '[info] Output #0, rawvideo, to \'pipe:1\':',
  '[info]   Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24(pc, progressive), 640x480 [SAR 1:1 DAR 4:3], q=2-31, 0.0000 fps, 90k tbn',
  '[Parsed_showinfo_0 @ 0x5601637ffe00] [info] n:   3 pts: NOPTS pts_time:NOPTS pos:       -1 fmt:yuv420p sar:1/1 s:640x480 i:P iskey:0 type:P ',
];

describe('FfmpegLog', () => {
  it("reads the input's video stream once, each picture the camera sent and each one sent on, and nothing else", () => {
    const log = new FfmpegLog();
    const read = SESSION.map((line) => log.read(line)).filter((line) => line.kind !== 'other');
    expect(read).toEqual([
      { kind: 'stream', info: { width: 320, height: 240, fps: 25, codec: 'h264' } },
      { kind: 'picture', pts: 40, width: 320, height: 240 },
      { kind: 'sent', pts: 40 },
      { kind: 'picture', pts: Number.NaN, width: 640, height: 480 },
    ]);
  });

  it('a stream without a frame rate, as H.265 cameras often announce', () => {
    const log = new FfmpegLog();
    log.read("[info] Input #0, rtsp, from 'rtsp://127.0.0.1/cam':");
    expect(log.read('[info]   Stream #0:1: Video: hevc (Main), yuv420p(tv), 1920x1080, 90k tbr, 90k tbn')).toEqual({
      kind: 'stream',
      info: { width: 1920, height: 1080, fps: undefined, codec: 'hevc' },
    });
  });
});
