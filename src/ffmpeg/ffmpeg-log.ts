import type { StreamInfo } from '../capture-source.js';

/**
 * What a line of ffmpeg's log (`-loglevel level+info`) tells a capture: the input's video
 * stream (`stream`), a picture the camera sent (`picture`, from the first `showinfo`, before
 * any is dropped), a picture on its way out (`sent`, from the last one), or nothing of use
 * (`other`). Timestamps in milliseconds.
 */
export type FfmpegLogLine =
  | { readonly kind: 'stream'; readonly info: StreamInfo }
  | { readonly kind: 'picture'; readonly pts: number; readonly width: number; readonly height: number }
  | { readonly kind: 'sent'; readonly pts: number }
  | { readonly kind: 'other' };

/**
 * Reads ffmpeg's log line by line. Only the input's first video stream counts: the output's
 * stream lines, printed next, describe what ffmpeg writes, not what the camera sends.
 *
 * @example
 * ```ts
 * const log = new FfmpegLog();
 * log.read('[info]   Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(tv, progressive), 320x240 [SAR 1:1 DAR 4:3], 25 fps, 25 tbr, 90k tbn');
 * // { kind: 'stream', info: { width: 320, height: 240, fps: 25, codec: 'h264' } }
 * log.read('[Parsed_showinfo_0 @ 0x5601] [info] n:   2 pts:   3600 pts_time:0.04    pos: -1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:0 type:P');
 * // { kind: 'picture', pts: 40, width: 320, height: 240 }
 * log.read('[Parsed_showinfo_3 @ 0x5602] [info] n:   2 pts:   3600 pts_time:0.04    pos: -1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:0 type:P');
 * // { kind: 'sent', pts: 40 }
 * ```
 */
export class FfmpegLog {
  private inInput = false;
  private streamSeen = false;

  read(line: string): FfmpegLogLine {
    const picture = PICTURE.exec(line);
    if (picture !== null) {
      const pts = Number(picture[2]) * 1000;
      return picture[1] === '0' ? { kind: 'picture', pts, width: Number(picture[3]), height: Number(picture[4]) } : { kind: 'sent', pts };
    }
    if (/^\[info\] Input #0/.test(line)) this.inInput = true;
    else if (/^\[info\] (Output #|Stream mapping)/.test(line)) this.inInput = false;
    if (!this.inInput || this.streamSeen) return OTHER;
    const stream = STREAM.exec(line);
    if (stream === null) return OTHER;
    this.streamSeen = true;
    const fps = Number(FPS.exec(line)?.[1]);
    return {
      kind: 'stream',
      info: {
        width: Number(stream[2]),
        height: Number(stream[3]),
        fps: Number.isFinite(fps) && fps > 0 && fps < 1000 ? fps : undefined,
        codec: stream[1]!,
      },
    };
  }
}

const OTHER = { kind: 'other' } as const;
const PICTURE = /^\[Parsed_showinfo_(\d+) @ [^\]]*\] \[info\] n:\s*\d+ pts:\s*(?:-?\d+|NOPTS) pts_time:(\S+)\s.*?\ss:(\d+)x(\d+)\s/;
/** `Video: codec (profile) (tag), pixel format(...), WxH`: the size is the first `WxH` after the codec. */
const STREAM = /^\[info\]\s+Stream #0:\d+.*?: Video: (\w+).*?, (\d{1,5})x(\d{1,5})[\s,]/;
const FPS = /, ([\d.]+) fps/;
