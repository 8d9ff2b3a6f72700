#!/usr/bin/env bash
# Renders procdeck's HTML report of a 20-job batch with headless Chromium
# (Debian's `chromium` package) into docs/report.png, for the README.
#   usage: tests/render-report.sh [path/to/procdeck]   (default: build/dev/procdeck)
set -euo pipefail
cd "$(dirname "$0")/.."
procdeck=$(realpath "${1:-build/dev/procdeck}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Twenty jobs: most succeed, some fail, one crashes, one times out; each
# prints to stdout and the failures to stderr; -j4 so the timeline shows
# the four slots.
cat > "$out/check-part.sh" <<'SH'
n=$1
echo "checking part $n"
sleep 0.$(( n % 7 + 1 ))
if [ $(( n % 6 )) -eq 0 ]; then echo "part $n: checksum mismatch <expected 0x$n>" >&2; exit 3; fi
if [ "$n" -eq 13 ]; then kill -SEGV $$; fi
if [ "$n" -eq 17 ]; then sleep 5; fi
echo "part $n ok"
SH
(cd "$out" && "$procdeck" run -j4 --timeout 1.5 --report "$out/report.html" \
    sh check-part.sh {} ::: $(seq 1 20) >/dev/null 2>&1) || true

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile" --hide-scrollbars --window-size=1200,1250 \
    --screenshot="$PWD/docs/report.png" "file://$out/report.html" 2>/dev/null
echo "wrote docs/report.png"
