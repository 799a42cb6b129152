/**
 * The camera simulator, standalone: an RTSP camera on 127.0.0.1 whose every frame is stamped
 * with its index and send time.
 *
 *   npm run camera -- --size 1920x1080 --fps 25 [--gop 50] [--codec h264|h265|mjpeg]
 *                     [--port 8554] [--path /cam] [--per-client] [--user NAME]
 *                     [--transports both|udp|tcp] [--in-band] [--audio]
 *
 * With --user, the password comes from the CAMERA_PASSWORD environment variable, so that it
 * shows neither in `ps` nor in your shell history. --transports udp refuses RTP over TCP (and
 * tcp refuses UDP) with `461 Unsupported transport`, as some real cameras do. --in-band leaves
 * the H.264/H.265 parameter sets out of the SDP; --audio adds a G.711 sound track.
 */
import { parseArgs } from 'node:util';
import { redactUrl } from '../src/index.js';
import { startTestCamera } from '../src/testing/index.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '640x480' },
    fps: { type: 'string', default: '25' },
    gop: { type: 'string' },
    codec: { type: 'string', default: 'h264' },
    port: { type: 'string', default: '8554' },
    path: { type: 'string', default: '/cam' },
    'per-client': { type: 'boolean', default: false },
    user: { type: 'string' },
    transports: { type: 'string', default: 'both' },
    'in-band': { type: 'boolean', default: false },
    audio: { type: 'boolean', default: false },
  },
});

const size = /^(\d+)x(\d+)$/.exec(values.size);
const fps = Number(values.fps);
const codec = values.codec;
if (size === null) throw new TypeError(`--size must look like 1920x1080; got ${values.size}`);
if (!Number.isInteger(fps) || fps < 1 || fps > 120) throw new RangeError(`--fps must be a whole number from 1 to 120; got ${values.fps}`);
if (codec !== 'h264' && codec !== 'h265' && codec !== 'mjpeg') throw new RangeError(`--codec must be h264, h265 or mjpeg; got ${codec}`);
const transports = values.transports;
if (transports !== 'both' && transports !== 'udp' && transports !== 'tcp') throw new RangeError(`--transports must be both, udp or tcp; got ${transports}`);
const password = process.env['CAMERA_PASSWORD'];
if (values.user !== undefined && !password) throw new TypeError('--user needs the password in the CAMERA_PASSWORD environment variable');

const camera = await startTestCamera({
  width: Number(size[1]),
  height: Number(size[2]),
  fps,
  gop: values.gop === undefined ? fps * 2 : Number(values.gop),
  codec,
  port: Number(values.port),
  path: values.path,
  shared: !values['per-client'],
  transports,
  parameterSets: values['in-band'] ? 'in-band' : 'sdp',
  audio: values.audio,
  ...(values.user === undefined ? {} : { auth: { user: values.user, password: password! } }),
});
console.log(`camera simulator: ${redactUrl(camera.url)} (${values.size} @ ${fps} fps ${codec}, ${values['per-client'] ? 'one encoder per client' : 'one shared encoder'}${transports === 'both' ? '' : `, RTP over ${transports.toUpperCase()} only`}); Ctrl-C to stop`);
const stop = async () => {
  await camera.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
