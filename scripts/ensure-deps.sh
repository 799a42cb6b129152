#!/usr/bin/env bash
# Installs what rtsp-rx needs on a Debian machine, and only what is missing: Debian packages
# with apt-get, then the npm packages with `npm ci`. Silent when everything is present, so
# `npm test` and `npm run demo` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests and the demo need, beyond Node.js itself: a compiler for the
# OpenCV addon, OpenCV with FFmpeg, GStreamer's RTSP server for the test camera, Chromium
# for the dashboard tests, nats-server for the fleet's tests, and Python's OpenCV for the
# benchmarks' seed contender.
APT_PACKAGES=(
  g++ make python3 libopencv-dev ffmpeg
  gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0 python3-numpy
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad
  chromium python3-opencv nats-server
)

log() { printf 'rtsp-rx setup: %s\n' "$*" >&2; }

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  log "Node.js 20 or newer is required (found ${major}); install it first"
  exit 1
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  log "installing ${missing[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# node_modules is current when it was installed from this very lockfile, with the addon built
# this very way.
stamp=node_modules/.rtsp-rx-lockfile-sha256
wanted=$(cat package-lock.json scripts/opencv-addon-env.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  log "installing npm packages (npm ci), building the OpenCV addon against the system's OpenCV"
  source scripts/opencv-addon-env.sh
  npm ci --no-audit --no-fund --loglevel=error >&2
  check_opencv_addon
  echo "$wanted" > "$stamp"
fi
