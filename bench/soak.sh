#!/usr/bin/env bash
# The pipeline under load for a long time, to show what only time shows: that the trace backend's
# memory stays flat once its bounded store is full (the oldest traces are evicted), that it answers
# its health check throughout, that no part had to be restarted, and that afterwards every sampled
# trace of 1,000 fresh requests is complete. Load: wrk at saturation through the ingress, a quarter
# of it leaderboards (~370 spans a trace), the rest votes and lists, every request sampled.
# Bounded: SOAK_SECONDS of load (default 1800), then one `check`. Output: Markdown on stdout.
#   BACKEND=jaeger bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_SECONDS=${SOAK_SECONDS:-1800}
BACKEND=${BACKEND:-zipkin}
SAMPLE_EVERY=${SAMPLE_EVERY:-10}
command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 1; }
down() { ./emojivoto down >/dev/null 2>&1 || true; }
down
trap down EXIT
./emojivoto up --detach --backend "$BACKEND" --sample-rate 1 --bot-rate 1 > /tmp/emojivoto-soak-up.log 2>&1
pid_of() { awk -F= -v k="part.$1.pid" '$1 == k {print $2}' .run/pipeline.properties; }
if [ "$BACKEND" = jaeger ]; then store=jaeger; health=http://127.0.0.1:13134/status; spans_metric='otelcol_receiver_accepted_spans_total.*receiver="otlp"'; metrics=http://127.0.0.1:8889/metrics
else store=zipkin; health=http://127.0.0.1:9411/health; spans_metric='^zipkin_collector_spans_total\{transport="http"'; metrics=http://127.0.0.1:9411/prometheus; fi

# Every emoji gets a vote first, so that a leaderboard lists all 99 and its trace is as wide as it gets.
for e in $(curl -s http://127.0.0.1:8080/api/list | python3 -c "import json,sys,urllib.parse; print(' '.join(urllib.parse.quote(x['shortcode']) for x in json.load(sys.stdin)))"); do
  curl -s -o /dev/null "http://127.0.0.1:8080/api/vote?choice=$e"
done

mix=$(mktemp --suffix=.lua)
cat > "$mix" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local k = n % 8
  if k < 2 then return wrk.format("GET", "/api/leaderboard")
  elseif k < 5 then return wrk.format("GET", "/api/list")
  else return wrk.format("GET", "/api/vote?choice=%3Ajoy%3A") end
end
LUA
samples=$(mktemp)
start=$(date +%s)
wrk -t1 -c4 -d"${SOAK_SECONDS}s" -s "$mix" http://127.0.0.1:8080 > /tmp/emojivoto-soak-wrk.txt 2>&1 &
wrk_pid=$!
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$SAMPLE_EVERY"
  pid=$(pid_of "$store")
  rss=$(awk '/^VmRSS/{print int($2/1024)}' /proc/"$pid"/status 2>/dev/null || echo 0)
  ok=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$health" || true)
  spans=$(curl -s -m 5 "$metrics" | grep -E "$spans_metric" | awk '{print $NF}' | head -1)
  echo "$(( $(date +%s) - start )) $rss $ok ${spans:-0}" >> "$samples"
done
wait "$wrk_pid" || true
check=$(./emojivoto check --requests 1000 2>&1 | tail -12)
status=$(./emojivoto status)

python3 - "$samples" "$SOAK_SECONDS" "$BACKEND" <<'PY'
import sys
rows = [tuple(float(x) for x in l.split()) for l in open(sys.argv[1]) if l.strip()]
seconds, backend = int(sys.argv[2]), sys.argv[3]
warm = [r for r in rows if r[0] >= seconds / 3]          # after warm-up: the last two thirds
rss = [r[1] for r in warm]
bad = [r for r in rows if int(r[2]) != 200]
print(f"## Soak ({backend}, {seconds // 60} minutes)")
print()
print(f"Command: `SOAK_SECONDS={seconds}{' BACKEND=' + backend if backend != 'zipkin' else ''} bench/soak.sh`: "
      "wrk -t1 -c4 at saturation through the ingress for the whole time, a quarter leaderboards (every emoji voted for "
      "first, so ~400 spans a trace), the rest lists and votes; SAMPLE_RATE 1; the bot on; "
      f"the backend's RSS, health and spans received sampled every {int(rows[1][0] - rows[0][0]) if len(rows) > 1 else 0} s.")
print()
print("| | |")
print("|---|---|")
print(f"| spans the backend received | {int(rows[-1][3]):,} |")
print(f"| backend RSS after warm-up (last two thirds) | {min(rss):.0f}–{max(rss):.0f} MiB (first {rss[0]:.0f}, last {rss[-1]:.0f}) |")
print(f"| backend RSS at each third | {', '.join(f'{r[1]:.0f}' for r in rows[::max(1, len(rows) // 3)])} MiB |")
print(f"| health checks | {len(rows) - len(bad)} of {len(rows)} answered 200 |")
PY
echo
echo '```'
grep -E "requests in|Requests/sec|Non-2xx|Socket errors" /tmp/emojivoto-soak-wrk.txt || true
echo '```'
echo
echo "Then \`./emojivoto check --requests 1000\`:"
echo
echo '```'
echo "$check"
echo '```'
echo
echo "Restarts (\`./emojivoto status\`): $(echo "$status" | awk 'NR > 2 && $4 ~ /^[0-9]+$/ {s += $4} END {print s + 0}')."
rm -f "$mix" "$samples"
