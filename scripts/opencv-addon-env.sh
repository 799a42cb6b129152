# Sourced by scripts/ensure-deps.sh and scripts/node-versions.sh before they build the OpenCV
# addon (@u4/opencv4nodejs) for this clone: against the system's OpenCV, and with only the
# modules rtsp-rx, its tests, examples, demo and benchmarks call (core, imgproc, imgcodecs,
# videoio and highgui, which the addon needs for its VideoCapture). That halves the build (about
# 3.5 minutes on 2 cores instead of 6.5). An application that installs rtsp-rx builds the addon
# its own way, with every module (see the README).
#
# The addon compiles a module's bindings when OpenCV's opencv2/opencv_modules.hpp says the module
# is there, so the build gets an include directory that is the system's, but for that one file.

# @u4/opencv4nodejs would otherwise try to download and build OpenCV itself.
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
export OPENCV_LIB_DIR="/usr/lib/$(gcc -print-multiarch)"
export OPENCV_BIN_DIR=/usr/bin
export JOBS=max

OPENCV_INCLUDE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rtsp-rx-opencv-include.XXXXXX")
export OPENCV_INCLUDE_DIR
# Gone with the shell that sourced this (its only EXIT trap: source it in a subshell otherwise).
trap 'rm -rf "$OPENCV_INCLUDE_DIR"' EXIT
mkdir "$OPENCV_INCLUDE_DIR/opencv2"
for entry in /usr/include/opencv4/opencv2/*; do
  [ "${entry##*/}" = opencv_modules.hpp ] || ln -s "$entry" "$OPENCV_INCLUDE_DIR/opencv2/"
done
cat >"$OPENCV_INCLUDE_DIR/opencv2/opencv_modules.hpp" <<'MODULES'
#ifndef OPENCV_MODULES_HPP
#define OPENCV_MODULES_HPP
#define HAVE_OPENCV_CORE
#define HAVE_OPENCV_IMGPROC
#define HAVE_OPENCV_IMGCODECS
#define HAVE_OPENCV_VIDEOIO
#define HAVE_OPENCV_HIGHGUI
#endif
MODULES

# Fails unless the addon in ./node_modules loads and has what rtsp-rx calls.
check_opencv_addon() {
  node -e '
    process.env.OPENCV4NODEJS_DISABLE_AUTOBUILD = "1";
    const cv = require("@u4/opencv4nodejs");
    const missing = ["VideoCapture", "imdecode", "imencodeAsync", "Mat"].filter((name) => typeof cv[name] !== "function");
    if (missing.length > 0 || typeof cv.Mat.prototype.cvtColor !== "function") throw new Error(`the OpenCV addon lacks ${missing.join(", ") || "cvtColor"}`);
  ' >/dev/null
}
