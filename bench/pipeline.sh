#!/usr/bin/env bash
# The pipeline's own figures, in one run: time from `./emojivoto up` to the first complete trace,
# the memory of each part, and votes through the ingress at SAMPLE_RATE 0, 0.5 and 1 (the cost of
# tracing). Uses the local port plan, so no other pipeline may be running. Bounded: 3 pipelines,
# a WARMUP-second warm-up and one wrk run of DURATION seconds each. Output: Markdown on stdout (docs/benchmarks.md has one).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-60}      # seconds of votes before measuring: the JVMs' JIT needs about this long to settle
command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 1; }
./emojivoto down >/dev/null 2>&1 || true
trap './emojivoto down >/dev/null 2>&1 || true' EXIT

first_complete_trace() { # seconds from now until a sampled vote's trace is complete in Zipkin
  python3 - <<'PY'
import json, time, urllib.request
start = time.time()
def trace_ok(tid):
    try:
        spans = json.load(urllib.request.urlopen(f"http://127.0.0.1:9411/api/v2/trace/{tid}", timeout=2))
    except Exception:
        return False
    return len(spans) == 11
while time.time() - start < 120:
    try:
        r = urllib.request.urlopen("http://127.0.0.1:8080/api/vote?choice=:joy:", timeout=5)
        if r.headers.get("X-B3-Sampled") == "1":
            tid = r.headers["X-B3-TraceId"]
            t0 = time.time()
            while time.time() - t0 < 15 and not trace_ok(tid):
                time.sleep(0.1)
            if trace_ok(tid):
                print(f"{time.time():.3f}")
                break
    except Exception:
        time.sleep(0.2)
PY
}

# Every part's processes ("name pid,pid…"): its own, or for the ingress its nginx workers too; and their CPU
# time in clock ticks.
part_pids() { python3 - <<'PY'
import re, subprocess
for name, pid in re.findall(r'^(\S+)\.pid=(\d+)', open('.run/pipeline.properties').read(), re.M):
    pids = [pid] + (subprocess.run(['pgrep', '-P', pid], capture_output=True, text=True).stdout.split() if name == 'ingress' else [])
    print(name, ",".join(pids))
PY
}
ticks() { local t=0 p; for p in ${1//,/ }; do t=$((t + $(awk '{print $14 + $15}' /proc/"$p"/stat))); done; echo $t; }
memory() {
  local name pids total=0 kb p
  echo "| part | RSS MiB |"; echo "|---|---|"
  while read -r name pids; do
    kb=0; for p in ${pids//,/ }; do kb=$((kb + $(awk '/^VmRSS/{print $2}' /proc/"$p"/status))); done
    total=$((total + kb)); echo "| $name | $(( (kb + 512) / 1024 )) |"
  done < <(part_pids)
  echo "| **total** | **$(( (total + 512) / 1024 ))** |"
}

declare -A CPU T; parts=()

echo "## Whole pipeline ($(date -u +%Y-%m-%d), $(nproc) cores)"
echo
echo "Command: \`bench/pipeline.sh\` (WARMUP=${WARMUP}, DURATION=${DURATION}). Votes: \`wrk -t1 -c4 -d${DURATION}s --latency 'http://127.0.0.1:8080/api/vote?choice=:joy:'\` through the ingress, vote-bot off."
echo
echo "| SAMPLE_RATE | votes/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
for rate in 0 0.5 1; do
  t0=$(date +%s.%N)
  ./emojivoto up --detach --sample-rate $rate --bot-rate 0 > /tmp/emojivoto-up.log 2>&1
  if [ "$rate" = 0.5 ]; then
    up_s=$(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')")
    first=$(first_complete_trace)
    first_s=$(python3 -c "print(f'{$first-$t0:.1f}')")
    mem=$(memory)
  fi
  wrk -t1 -c4 -d${WARMUP}s 'http://127.0.0.1:8080/api/vote?choice=:joy:' >/dev/null 2>&1
  declare -A before=(); mapfile -t rows < <(part_pids)
  for row in "${rows[@]}"; do before[${row% *}]=$(ticks "${row#* }"); done
  wrk -t1 -c4 -d${DURATION}s --latency 'http://127.0.0.1:8080/api/vote?choice=:joy:' > /tmp/emojivoto-wrk.txt
  votes=$(awk '/requests in/{print $1}' /tmp/emojivoto-wrk.txt)
  for row in "${rows[@]}"; do name=${row% *}
    [ "$rate" = 0 ] && parts+=("$name")
    CPU["$name $rate"]=$(( ($(ticks "${row#* }") - ${before[$name]}) * 1000000 / $(getconf CLK_TCK) / votes ))
  done
  awk -v rate=$rate '/Requests\/sec/{r=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$NF} END{printf "| %s | %s | %s | %s | %s |\n", rate, r, p50, p99, bad==""?0:bad}' /tmp/emojivoto-wrk.txt
  ./emojivoto down >/dev/null
done
echo
echo "CPU time per vote of each part during the measured run (µs; its process, the ingress's nginx workers):"
echo
echo "| part | SAMPLE_RATE 0 | 0.5 | 1 |"
echo "|---|---|---|---|"
for name in "${parts[@]}"; do echo "| $name | ${CPU["$name 0"]} | ${CPU["$name 0.5"]} | ${CPU["$name 1"]} |"; done
for rate in 0 0.5 1; do total=0; for name in "${parts[@]}"; do total=$((total + ${CPU["$name $rate"]})); done; T[$rate]=$total; done
echo "| **total** | **${T[0]}** | **${T[0.5]}** | **${T[1]}** |"
echo
echo "From \`./emojivoto up\` (warm build) to all parts healthy: ${up_s} s; to the first complete trace of a vote (11 spans in Zipkin): ${first_s} s."
echo
echo "Memory of each part, right after start (SAMPLE_RATE 0.5):"
echo
echo "$mem"
