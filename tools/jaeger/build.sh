#!/usr/bin/env bash
# Builds Jaeger v2 from the Go module proxy into tools/jaeger/target/jaeger, the binary that
# `./emojivoto up --backend jaeger` runs (twice: as the collector, with the collector configuration
# of tracing.yml, and as Jaeger itself). go.mod and go.sum here pin it and every module it needs.
# Built once; run again when go.mod changes. Needs Go 1.24.6 or newer.
#
# Note: a Jaeger built from the Go module has no UI assets (they come from the separate jaeger-ui
# project, built with npm, and are not in the module): its query API works, and its UI page is
# Jaeger's placeholder. See docs/jaeger.md for the ways to the real UI.
set -euo pipefail
cd "$(dirname "$0")"
out=target/jaeger
mkdir -p target
# One build at a time: CI starts this beside Maven, and a test's `up --backend jaeger` may call it
# meanwhile; the second waits for the first, then finds the binary built.
if command -v flock >/dev/null; then
  exec 9>target/build.lock
  flock 9
fi
if [ -x "$out" ] && [ "$out" -nt go.mod ] && [ "$out" -nt go.sum ]; then
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "Jaeger v2 is built from source with Go, and go is not on PATH: install Go 1.24.6 or newer" \
       "(https://go.dev/dl/), or set JAEGER_BIN to a Jaeger v2 binary you downloaded" >&2
  exit 3
fi
version=$(awk '$1 == "github.com/jaegertracing/jaeger" {print $2}' go.mod)
echo "building Jaeger v2 ($version of the Go module) with $(go version | awk '{print $3}'), first time only: a few minutes…"
mkdir -p target
log=target/build.log
start=$(date +%s)
go build -o "$out.new" github.com/jaegertracing/jaeger/cmd/jaeger >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  kill -0 "$pid" 2>/dev/null && echo "  still building Jaeger ($(( $(date +%s) - start )) s)…"
done
if ! wait "$pid"; then
  echo "building Jaeger failed; the end of Go's output ($PWD/$log):" >&2
  tail -20 "$log" >&2
  rm -f "$out.new"
  exit 1
fi
mv "$out.new" "$out"
echo "built Jaeger in $(( $(date +%s) - start )) s: $PWD/$out"
