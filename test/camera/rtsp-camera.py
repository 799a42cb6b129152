"""A test camera: GStreamer's RTSP server on loopback, configured by one JSON line on stdin.

Run by test/camera/start-camera.ts with Debian's /usr/bin/python3 (which has the gi bindings).
The configuration, credentials included, arrives on stdin so that it never shows in `ps`.
Prints one JSON line {"port": N} once it listens, then serves until killed.
"""
import json
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

config = json.loads(sys.stdin.readline())
Gst.init(None)

width, height, fps, gop = config["width"], config["height"], config["fps"], config["gop"]
launch = (
    f"( videotestsrc is-live=true pattern={config.get('pattern', 'ball')} ! video/x-raw,width={width},height={height},framerate={fps}/1 "
    f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bframes=0 {config.get('x264', '')} "
    f"! rtph264pay name=pay0 pt=96 config-interval=-1 )"
)

recording = config.get("recording")
if recording:
    # Every client gets its own playback from the start of the file, in real time.
    launch = f"( filesrc location={json.dumps(recording)} ! matroskademux ! h264parse ! rtph264pay name=pay0 pt=96 )"

factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(launch)
factory.set_shared(config.get("shared", not recording))

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
GLib.MainLoop().run()
