#!/usr/bin/env bash
# The pipeline's own figures, in one run of one pipeline: time from `./emojivoto up` to the first
# complete trace, the memory of each part, and what tracing costs. The cost is measured in the same
# pipeline at SAMPLE_RATE 0 and 1 in alternating rounds (the ingress's sample-rate switch changes it
# between them), so that both see the same warm JITs and the same host: CPU time per vote of every
# part at each rate, the cost per recorded span, the parts' total ratio, and the backend's own cost.
# Bounded: one pipeline, WARMUP seconds of warm-up, ROUNDS × 2 wrk runs of DURATION seconds.
# ROUNDS=0 measures the start and the memory only (about a minute). The pipeline starts as a plain
# `up` does, vote-bot at 1 vote a second; the memory total is what `up --bot-rate 0` runs, the
# vote-bot and the supervisor listed beside it. JAVA_HOME picks the JDK the parts run on.
# Uses the local port plan (or PORT_OFFSET), so no other pipeline may run there.
# Output: Markdown on stdout (docs/benchmarks.md holds the current one).
#   BACKEND=jaeger bench/pipeline.sh      the same through the collector to Jaeger
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-90}     # seconds of votes at each rate before measuring: the JVMs' JIT settles in about this
ROUNDS=${ROUNDS:-5}
BACKEND=${BACKEND:-zipkin}
OFFSET=${PORT_OFFSET:-0}
command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 1; }
ingress=$((8080 + OFFSET)); status=$((8090 + OFFSET))
run_dir=.run; [ "$OFFSET" = 0 ] || run_dir=.run/offset-$OFFSET
down() { ./emojivoto down --port-offset "$OFFSET" >/dev/null 2>&1 || true; }
down
trap down EXIT
vote="http://127.0.0.1:$ingress/api/vote?choice=:joy:"
SPANS_PER_VOTE=11   # the expected tree of a vote: 1 ingress, 3 web-svc-proxy, 3 web-svc, 1 each of the other four

# Every part's processes ("name pid,pid…"): its own, or for the ingress its nginx workers too.
part_pids() { python3 - "$run_dir" <<'PY'
import re, subprocess, sys
text = open(sys.argv[1] + '/pipeline.properties').read()
found = re.findall(r'^part\.(\S+)\.pid=(\d+)', text, re.M)
found += [('supervisor', pid) for pid in re.findall(r'^supervisor\.pid=(\d+)', text, re.M)]
for name, pid in found:
    pids = [pid] + (subprocess.run(['pgrep', '-P', pid], capture_output=True, text=True).stdout.split() if name == 'ingress' else [])
    print(name, ",".join(pids))
PY
}
ticks() { local t=0 p; for p in ${1//,/ }; do t=$((t + $(awk '{print $14 + $15}' /proc/"$p"/stat))); done; echo $t; }
# RSS as the goal counts it; PSS (shared pages, e.g. the JDK's libjvm, divided among the processes using
# them) is what the pipeline takes from the machine.
memory() {
  local name pids total=0 pss_total=0 kb pss p beside=""
  echo "| part | RSS MiB | PSS MiB |"; echo "|---|---|---|"
  while read -r name pids; do
    kb=0; pss=0
    for p in ${pids//,/ }; do
      kb=$((kb + $(awk '/^VmRSS/{print $2}' /proc/"$p"/status))); pss=$((pss + $(awk '/^Pss:/{print $2}' /proc/"$p"/smaps_rollup)))
    done
    if [ "$name" = vote-bot ] || [ "$name" = supervisor ]; then
      beside+="| ($name, not in the total) | $(( (kb + 512) / 1024 )) | $(( (pss + 512) / 1024 )) |"$'\n'
    else
      total=$((total + kb)); pss_total=$((pss_total + pss)); echo "| $name | $(( (kb + 512) / 1024 )) | $(( (pss + 512) / 1024 )) |"
    fi
  done < <(part_pids)
  echo "| **total** | **$(( (total + 512) / 1024 ))** | **$(( (pss_total + 512) / 1024 ))** |"
  printf '%s' "$beside"
}
set_rate() { curl -sf -X POST -H 'Content-Type: application/json' -d "{\"value\":\"$1\"}" \
  "http://127.0.0.1:$status/faults/sample-rate" >/dev/null; }
first_complete_trace() { # seconds since the epoch when a sampled vote's trace is complete in the backend
  python3 - "$ingress" "$1" <<'PY'
import json, sys, time, urllib.request
ingress, api = sys.argv[1], sys.argv[2]
def spans(tid):
    try:
        data = json.load(urllib.request.urlopen(api.replace("{id}", tid), timeout=2))
    except Exception:
        return 0
    return len(data["data"][0]["spans"]) if isinstance(data, dict) else len(data)
start = time.time()
while time.time() - start < 120:
    try:
        r = urllib.request.urlopen(f"http://127.0.0.1:{ingress}/api/vote?choice=:joy:", timeout=5)
        if r.headers.get("X-B3-Sampled") == "1":
            tid = r.headers["X-B3-TraceId"]
            t0 = time.time()
            while time.time() - t0 < 15 and spans(tid) < 11:
                time.sleep(0.1)
            if spans(tid) >= 11:
                print(f"{time.time():.3f}")
                break
    except Exception:
        time.sleep(0.2)
PY
}

t0=$(date +%s.%N)
./emojivoto up --detach --backend "$BACKEND" --sample-rate 1 --bot-rate 1 --port-offset "$OFFSET" > /tmp/emojivoto-up.log 2>&1
up_s=$(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')")
jdk=$(sed -n 's/^ *the Java parts run on //p' /tmp/emojivoto-up.log)
if grep -q "preparing a faster start" /tmp/emojivoto-up.log; then
  echo "(this start made the parts' start caches, once after a build or a JDK change: run it again for a start from them)" >&2
fi
if [ "$BACKEND" = jaeger ]; then api="http://127.0.0.1:$((16686 + OFFSET))/api/traces/{id}"; else api="http://127.0.0.1:$((9411 + OFFSET))/api/v2/trace/{id}"; fi
first=$(first_complete_trace "$api")
first_s=$(python3 -c "print(f'{$first-$t0:.1f}')")
mem=$(memory)
mapfile -t rows < <(part_pids | grep -v -e '^supervisor ' -e '^vote-bot ')
total_mib=$(echo "$mem" | sed -n 's/^| \*\*total\*\* | \*\*\([0-9]*\)\*\*.*/\1/p')
[ "$BACKEND" = jaeger ] && memory_goal=1100 || memory_goal=1000
goals() {
  echo "| figure | goal | now |"
  echo "|---|---|---|"
  echo "| from \`up\` (jars built) to the first complete trace of a vote | under 15 s | ${first_s} s (all parts healthy at ${up_s} s) |"
  echo "| resident memory of the parts right after start (RSS, vote-bot excluded) | under ${memory_goal} MiB | ${total_mib} MiB |"
  [ -z "${ratio:-}" ] || echo "| the parts' CPU per vote, every request traced over none | at most 1.10 | ${ratio} |"
}
if [ "$ROUNDS" = 0 ]; then
  echo "## Start and memory ($(date -u +%Y-%m-%d), $(nproc) cores, backend $BACKEND, $jdk)"
  echo; goals; echo; echo "Memory of each part, right after start:"; echo; echo "$mem"
  exit 0
fi
for rate in 1 0; do set_rate $rate; wrk -t1 -c4 -d${WARMUP}s "$vote" >/dev/null 2>&1; done

declare -A CPU VPS P50 P99
echo "## Whole pipeline ($(date -u +%Y-%m-%d), $(nproc) cores, backend $BACKEND, $jdk)"
echo
echo "Command: \`$( [ "$BACKEND" = zipkin ] || echo "BACKEND=$BACKEND " )ROUNDS=$ROUNDS bench/pipeline.sh\` (WARMUP=${WARMUP}, DURATION=${DURATION})."
echo "Votes: \`wrk -t1 -c4 -d${DURATION}s --latency '$vote'\` through the ingress, vote-bot at 1 vote a second (as a plain \`up\`), one pipeline;"
echo "SAMPLE_RATE switched between 0 and 1 at runtime (the ingress's sample-rate switch), $ROUNDS rounds of each, alternating."
echo
for round in $(seq 1 "$ROUNDS"); do
  for rate in 0 1; do
    set_rate $rate
    declare -A before=()
    for row in "${rows[@]}"; do before[${row% *}]=$(ticks "${row#* }"); done
    wrk -t1 -c4 -d${DURATION}s --latency "$vote" > /tmp/emojivoto-wrk.txt
    votes=$(awk '/requests in/{print $1}' /tmp/emojivoto-wrk.txt)
    for row in "${rows[@]}"; do name=${row% *}
      CPU["$name $rate $round"]=$(( ($(ticks "${row#* }") - ${before[$name]}) * 1000000 / $(getconf CLK_TCK) / votes ))
    done
    VPS["$rate $round"]=$(awk '/Requests\/sec/{print $2}' /tmp/emojivoto-wrk.txt)
    P50["$rate $round"]=$(awk '/^ +50%/{print $2}' /tmp/emojivoto-wrk.txt)
    P99["$rate $round"]=$(awk '/^ +99%/{print $2}' /tmp/emojivoto-wrk.txt)
  done
done

# The medians and the table, from the rounds.
rounds_file=$(mktemp)
{
  for key in "${!CPU[@]}"; do echo "cpu $key ${CPU[$key]}"; done
  for key in "${!VPS[@]}"; do echo "vps $key ${VPS[$key]} ${P50[$key]} ${P99[$key]}"; done
  for row in "${rows[@]}"; do echo "part ${row% *}"; done
} > "$rounds_file"
table=$(python3 - "$SPANS_PER_VOTE" "$BACKEND" "$rounds_file" <<'PY'
import statistics, sys
spans_per_vote, backend, data = int(sys.argv[1]), sys.argv[2], sys.argv[3]
backends = {"zipkin", "jaeger", "collector", "prometheus"}
cpu, vps, parts = {}, {}, []
for line in open(data):
    f = line.split()
    if f[0] == "cpu":
        cpu.setdefault((f[1], f[2]), {})[f[3]] = int(f[4])
    elif f[0] == "vps":
        vps.setdefault(f[1], []).append((float(f[3]), f[4], f[5]))
    elif f[0] == "part":
        parts.append(f[1])
spans = {"ingress": 1, "web-svc-proxy": 3, "web-svc": 3, "emoji-svc-proxy": 1, "emoji-svc": 1, "voting-svc-proxy": 1, "voting-svc": 1}
med = lambda xs: statistics.median(xs)
rounds = sorted(cpu[(parts[0], "0")])
print("| SAMPLE_RATE | votes/s (median) | p50 | p99 |")
print("|---|---|---|---|")
for rate in ("0", "1"):
    rs = vps[rate]
    print(f"| {rate} | {med([r[0] for r in rs]):.0f} | {sorted(r[1] for r in rs)[len(rs)//2]} | {sorted(r[2] for r in rs)[len(rs)//2]} |")
print()
print("CPU time per vote (µs, median of the rounds; a part's process, and the ingress's nginx workers):")
print()
print("| part | SAMPLE_RATE 0 | 1 | spans a vote | cost per span (µs) | 1 ÷ 0 |")
print("|---|---|---|---|---|---|")
tot0, tot1, ratios = 0, 0, []
for p in parts:
    if p in backends:
        continue
    c0, c1 = med(cpu[(p, "0")].values()), med(cpu[(p, "1")].values())
    tot0 += c0; tot1 += c1
    per_span = (c1 - c0) / spans[p] if p in spans else float("nan")
    print(f"| {p} | {c0:.0f} | {c1:.0f} | {spans.get(p, '')} | {per_span:.0f} | {c1 / c0:.2f} |")
round_ratios = sorted(sum(cpu[(p, "1")][r] for p in parts if p not in backends) / sum(cpu[(p, "0")][r] for p in parts if p not in backends) for r in rounds)
print(f"| **the parts** | **{tot0:.0f}** | **{tot1:.0f}** | **{spans_per_vote}** | **{(tot1 - tot0) / spans_per_vote:.0f}** | **{tot1 / tot0:.2f}** |")
b1 = sum(med(cpu[(p, "1")].values()) for p in parts if p in backends)
print()
print(f"Tracing cost, the parts' CPU per vote at SAMPLE_RATE 1 over 0: **{tot1 / tot0:.2f}×** "
      f"(round by round {round_ratios[0]:.2f}–{round_ratios[-1]:.2f}×).")
print(f"The backend's own cost ({', '.join(p for p in parts if p in backends)}): {b1:.0f} µs per vote at SAMPLE_RATE 1, "
      f"{b1 / spans_per_vote:.0f} µs per span stored.")
PY
)
rm -f "$rounds_file"
echo "$table"
ratio=$(echo "$table" | sed -n 's/^Tracing cost.*\*\*\([0-9.]*\)×\*\*.*/\1/p')
echo
echo "From \`./emojivoto up\` (warm build) to all parts healthy: ${up_s} s; to the first complete trace of a vote (11 spans): ${first_s} s."
echo
echo "Against the goals:"
echo
goals
echo
echo "Memory of each part, right after start:"
echo
echo "$mem"
