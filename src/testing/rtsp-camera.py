"""The rtsp-rx camera simulator: GStreamer's RTSP server on loopback, configured by one JSON
line on stdin (credentials included, so that they never show in `ps`).

Started by startTestCamera (test-camera.ts) with Debian's /usr/bin/python3, which has the gi
bindings. Prints one JSON line {"port": N} once it listens, then serves until killed.

Sources:
- stamped (default): a moving ball, and on every frame its index and the time it was sent,
  drawn as large black and white blocks that survive compression (read by readStamp in stamp.ts).
- pattern: GStreamer's videotestsrc picture of that name.
- recording: a Matroska H.264 file, played in real time.
"""
import json
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

# Keep in step with stamp.ts.
STAMP_ROWS, STAMP_COLUMNS, STAMP_BITS = 4, 22, 88
STAMP_BLOCKS_PER_WIDTH = 24
STAMP_CHECKSUM_SALT = 0x5A
BLACK, WHITE, BACKGROUND = 16, 235, 100


def stamp_edge(blocks):
    """Where the `blocks`th block edge lies, in pixels: proportional to the width, so the
    layout is the same at any scale."""
    return round(width * blocks / STAMP_BLOCKS_PER_WIDTH)

config = json.loads(sys.stdin.buffer.raw.readline())
Gst.init(None)

width, height, fps, gop = config["width"], config["height"], config["fps"], config["gop"]
codec = config.get("codec", "h264")
# One slice a frame: FFmpeg's RTSP client turns x264's sliced-thread frames into partial pictures.
encoders = {
    "h264": f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bframes=0 sliced-threads=false {config.get('x264', '')} "
    "! rtph264pay name=pay0 pt=96 config-interval=-1",
    "h265": f"x265enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} ! rtph265pay name=pay0 pt=96 config-interval=-1",
    "mjpeg": "jpegenc quality=85 ! rtpjpegpay name=pay0 pt=26",
}
if config.get("parameterSets") == "in-band":
    # Some cameras describe H.264 and H.265 without sprop-parameter-sets in the SDP and send
    # them only in-band: the payloader's caps are replaced by ones that say nothing more.
    encoding = {"h264": "H264", "h265": "H265"}[codec]
    encoders[codec] = encoders[codec].replace(" name=pay0", "") + (
        f' ! capssetter name=pay0 replace=true caps="application/x-rtp,media=video,clock-rate=90000,encoding-name={encoding},payload=96"'
    )
raw_caps = f"video/x-raw,width={width},height={height},framerate={fps}/1"

recording = config.get("recording")
if recording:
    launch = f"( filesrc location={json.dumps(recording)} ! matroskademux ! h264parse ! rtph264pay name=pay0 pt=96 )"
elif config.get("pattern"):
    launch = f"( videotestsrc is-live=true pattern={config['pattern']} ! {raw_caps} ! videoconvert ! {encoders[codec]} )"
else:
    # videotestsrc keeps the time and the motion (a moving ball); an identity element draws
    # the stamp into each raw frame just before the encoder.
    launch = (
        f"( videotestsrc is-live=true pattern=ball ! {raw_caps},format=I420 "
        f"! identity name=stamper signal-handoffs=true ! {encoders[codec]} )"
    )


if config.get("audio"):
    # Most cameras send a sound track beside the picture, often G.711 A-law.
    launch = launch[: -len(" )")] + " audiotestsrc is-live=true wave=ticks ! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8 )"


class Stamper:
    """Draws the stamp on the frames of one pipeline: one for all clients, or one each."""

    def __init__(self):
        import numpy

        self.numpy = numpy
        self.index = 0
        self.stride = (width + 3) // 4 * 4  # I420's luma rows are 4-byte aligned

    def on_handoff(self, _identity, buffer):
        ok, info = buffer.map(Gst.MapFlags.READ | Gst.MapFlags.WRITE)
        if not ok:
            return
        try:
            luma = self.numpy.ndarray((height, width), self.numpy.uint8, buffer=info.data, strides=(self.stride, 1))
            sent_at = int(time.time() * 1000)
            payload = self.index.to_bytes(4, "big") + sent_at.to_bytes(6, "big")
            data = payload + bytes([(sum(payload) + STAMP_CHECKSUM_SALT) & 0xFF])
            luma[stamp_edge(0.5):stamp_edge(STAMP_ROWS + 1.5), stamp_edge(0.5):stamp_edge(STAMP_COLUMNS + 1.5)] = BACKGROUND
            for bit in range(STAMP_BITS):
                value = (data[bit // 8] >> (7 - bit % 8)) & 1
                row, column = divmod(bit, STAMP_COLUMNS)
                luma[stamp_edge(row + 1):stamp_edge(row + 2), stamp_edge(column + 1):stamp_edge(column + 2)] = WHITE if value else BLACK
        finally:
            buffer.unmap(info)
        self.index = (self.index + 1) % 2**32


def on_media_configure(_factory, media):
    identity = media.get_element().get_by_name("stamper")
    if identity is not None:
        identity.connect("handoff", Stamper().on_handoff)


factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(launch)
factory.set_shared(config.get("shared", not recording))
factory.connect("media-configure", on_media_configure)
# Which lower transports SETUP accepts; any other is answered `461 Unsupported transport`, as
# by cameras that refuse RTP over TCP. "udp" keeps multicast, the server's default beside
# unicast (no address pool is set up, so a multicast SETUP still fails).
LOWER_TRANSPORTS = {
    "both": GstRtsp.RTSPLowerTrans.UDP | GstRtsp.RTSPLowerTrans.UDP_MCAST | GstRtsp.RTSPLowerTrans.TCP,
    "udp": GstRtsp.RTSPLowerTrans.UDP | GstRtsp.RTSPLowerTrans.UDP_MCAST,
    "tcp": GstRtsp.RTSPLowerTrans.TCP,
}
factory.set_protocols(LOWER_TRANSPORTS[config.get("transports", "both")])

server = GstRtspServer.RTSPServer()
server.set_address(config.get("address", "127.0.0.1"))
server.set_service(str(config.get("port", 0)))

auth = config.get("auth")
if auth:
    role = "camera-user"
    rtsp_auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", role)
    rtsp_auth.add_basic(GstRtspServer.RTSPAuth.make_basic(auth["user"], auth["password"]), token)
    server.set_auth(rtsp_auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_role(role)
    permissions.add_permission_for_role(role, "media.factory.access", True)
    permissions.add_permission_for_role(role, "media.factory.construct", True)
    factory.set_permissions(permissions)

server.get_mount_points().add_factory(config.get("path", "/cam"), factory)
if server.attach(None) == 0:
    sys.exit("could not listen")
print(json.dumps({"port": server.get_bound_port()}), flush=True)
loop = GLib.MainLoop()
# Whoever started the simulator keeps stdin open; when it goes, so does the simulator.
GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, lambda *_: loop.quit() or False)
loop.run()
