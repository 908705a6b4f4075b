#!/usr/bin/env bash
# Benchmark of the sidecar proxy: the same load sent (a) directly to a backend, (b) through our
# proxy, (c) through nginx configured as the equivalent proxy, in one run, on 127.0.0.1 only.
#   gRPC unary (h2load, h2c) to emoji-svc FindByShortcode; HTTP/1.1 (h2load --h1 and wrk) to an nginx
#   that answers 200 itself. Each at a fixed rate and at saturation; the proxy with 0% and 100% of
#   requests sampled. At 100% the proxy really records and reports every span, to a collector
#   endpoint that accepts and discards them (nginx answering 202), so that the figure is the
#   proxy's cost and not a trace store's. Bounded: every run has a fixed count or duration.
# Usage: [ROUNDS=5] bench/proxy.sh [--quick]    Output: a Markdown report on stdout (docs/benchmarks.md has one).
#        [ROUNDS=16] bench/proxy.sh --paired      Only HTTP/1.1 at saturation: the untraced proxy and nginx,
#   each round started by the other in turn, ratios taken within the round, with 95% intervals: a
#   difference of 5–10% needs more rounds than the full run's five to show through this machine's noise.
#        [SOAK_SECONDS=600] bench/proxy.sh --soak   Good traffic and bad input for that long; whether the proxies
#   answer every case as they should, settle after each slice and keep their memory flat.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-} # --quick, --paired, --soak or nothing
RATE=2000                 # fixed-rate runs: requests per second in all
FIXED_SECONDS=10
# Saturation runs last as long as the fixed-rate ones: runs of ~1 s (60,000 requests) swung by ±15%
# from one to the next on a 2-core machine, more than the differences they were to show.
SAT_SECONDS=10
# Requests to each target before measuring: the JVM's JIT settles after a few hundred thousand (with
# 20,000 the proxy's HTTP/1.1 saturation measured ~25% lower); nginx and the backend get the same.
WARM_REQUESTS=300000
# Every measurement this many times, interleaved; the report shows medians and ranges.
if [ "$mode" = "--paired" ]; then ROUNDS=${ROUNDS:-16}; else ROUNDS=${ROUNDS:-1}; fi
[ "$mode" = "--quick" ] && { FIXED_SECONDS=3; SAT_SECONDS=3; WARM_REQUESTS=20000; }
for tool in h2load wrk nginx python3; do command -v $tool >/dev/null || { echo "missing $tool: apt-get install nghttp2-client wrk nginx" >&2; exit 1; }; done

work=$(mktemp -d /tmp/emojivoto-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            for n in backends ngxproxy; do [ -f "$work/$n/logs/nginx.pid" ] && kill "$(cat "$work/$n/logs/nginx.pid")" 2>/dev/null || true; done
            rm -rf "$work"; }
trap cleanup EXIT

echo "building jars…" >&2
./mvnw -q -B -DskipTests -pl emoji-svc,proxy -am install >&2
# JAVA_HOME picks the JDK (both the backend and the proxy), else java on the PATH.
java=java; [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
JAVA_OPTS="-Xmx256m -XX:+UseParallelGC"   # the gRPC backend
# The proxy with the flags it runs with in the local pipeline (launcher's Pipeline.PROXY_JVM), and on Java 24+
# what local-run's Jdk.flags adds for Netty (without it Netty turns its use of Unsafe off and runs slower).
PROXY_JAVA_OPTS="-Xms48m -Xmx96m -Xmn32m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=48m"
java_major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
if [ "${java_major%%.*}" -ge 24 ]; then
  netty_opts="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  JAVA_OPTS="$JAVA_OPTS $netty_opts"; PROXY_JAVA_OPTS="$PROXY_JAVA_OPTS $netty_opts"
fi

wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }

# Backends: emoji-svc (gRPC :19082) and a static HTTP/1.1 nginx (:19180); span sink (:19411).
GRPC_PORT=19082 SERVER_PORT=19092 ZIPKIN_ENDPOINT=http://127.0.0.1:19411/api/v2/spans \
  "$java" $JAVA_OPTS -jar emoji-svc/target/emoji-svc-*.jar >"$work/emoji.log" 2>&1 & pids+=($!)

# Two nginx instances: the backends (HTTP answering 200, span sink), and nginx as the equivalent proxy
# in a process of its own, as a sidecar is: sharing the backends' worker would spare it the hand-off
# between processes that our proxy pays. Both proxies get one worker (IO_THREADS=1, worker_processes 1).
nginx_instance() { # name, then the server blocks
  mkdir -p "$work/$1/logs" "$work/$1/tmp" && chmod 777 "$work/$1/logs" "$work/$1/tmp"
  cat >"$work/$1/nginx.conf" <<NGX
worker_processes 1;
error_log logs/error.log warn;
pid logs/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;   # nginx otherwise closes a client connection after 1000 requests
  client_body_temp_path tmp/b; proxy_temp_path tmp/p; fastcgi_temp_path tmp/f; uwsgi_temp_path tmp/u; scgi_temp_path tmp/s;
  $2
}
NGX
  nginx -p "$work/$1" -c nginx.conf; }
nginx_instance backends '
  server { listen 127.0.0.1:19180; location / { return 200 "hello\n"; } }                      # HTTP backend
  server { listen 127.0.0.1:19411; client_max_body_size 10m; location / { return 202; } }       # span sink'
nginx_instance ngxproxy '
  upstream grpc_backend { server 127.0.0.1:19082; keepalive 64; keepalive_requests 1000000; }
  upstream http_backend { server 127.0.0.1:19180; keepalive 64; keepalive_requests 1000000; }
  server { listen 127.0.0.1:19181 http2; location / { grpc_pass grpc://grpc_backend; } }       # nginx as gRPC proxy
  server { listen 127.0.0.1:19182; location / { proxy_pass http://http_backend; proxy_http_version 1.1; proxy_set_header Connection ""; } }'
proxy() { # name inbound app admin zipkin transport
  TRANSPORT=$6 IO_THREADS=1 PROXY_NAME=$1 INBOUND_LISTEN=127.0.0.1:$2 APP_ADDRESS=127.0.0.1:$3 ADMIN_LISTEN=127.0.0.1:$4 ZIPKIN_ENDPOINT=$5 \
    "$java" $PROXY_JAVA_OPTS -jar proxy/target/proxy-*.jar >"$work/$1.log" 2>&1 & pids+=($!); echo $! >"$work/$1.pid"; }
# The proxy as it starts by default (TRANSPORT=auto: io_uring where the kernel allows it), and on epoll,
# which it takes where io_uring is refused (containers with the default seccomp profile).
proxy grpc-proxy 19281 19082 19291 http://127.0.0.1:19411/api/v2/spans auto
proxy http-proxy 19282 19180 19292 http://127.0.0.1:19411/api/v2/spans auto
proxy grpc-proxy-epoll 19283 19082 19293 http://127.0.0.1:19411/api/v2/spans epoll
proxy http-proxy-epoll 19284 19180 19294 http://127.0.0.1:19411/api/v2/spans epoll
wait_http http://127.0.0.1:19092/actuator/health
for a in 19291 19292 19293 19294; do wait_http http://127.0.0.1:$a/ready; done
transport=$(grep -o 'started ([a-z_]*)' "$work/grpc-proxy.log" | tr -d '()' | cut -d' ' -f2)

# gRPC request body: FindByShortcodeRequest{Shortcode=":joy:"} with the 5-byte gRPC prefix.
printf '\x00\x00\x00\x00\x07\x0a\x05:joy:' >"$work/joy.bin"
TRACE=463ac35c9f6413ad48485a3953bb6124
hdrs() { echo "-H x-b3-traceid:$TRACE -H x-b3-spanid:a2fb4a1d1a96d312 -H x-b3-sampled:$1"; }
GRPC="-d $work/joy.bin -H content-type:application/grpc -H te:trailers"

# h2load run → "rps p50_ms p99_ms ok/total" from its per-request log.
h2() { local log="$work/h2.log"; rm -f "$log"
  h2load "$@" --log-file="$log" >"$work/h2.out" 2>&1 || true
  python3 - "$log" "$work/h2.out" <<'PY'
import sys,re
rows=[l.split('\t') for l in open(sys.argv[1]) if l.strip()]
rows=[r for r in rows if int(r[0])>0]
lat=sorted(int(r[2])/1000 for r in rows); ok=sum(1 for r in rows if r[1]=='200')
start=min(int(r[0]) for r in rows); end=max(int(r[0])+int(r[2]) for r in rows)
rps=len(rows)/((end-start)/1e6)
q=lambda p: lat[min(len(lat)-1,int(p*len(lat)))]
print(f"{rps:.0f} {q(0.5):.3f} {q(0.99):.3f} {ok}/{len(rows)}")
PY
}
grpc_check() { # one call: grpc-status must be 0 (h2load counts any HTTP 200 as success)
  curl -s --http2-prior-knowledge -o /dev/null -D - -H content-type:application/grpc -H te:trailers \
    --data-binary @"$work/joy.bin" "$1/emojivoto.v1.EmojiService/FindByShortcode" | grep -qi 'grpc-status: 0' \
    || { echo "gRPC check failed for $1" >&2; exit 1; }; }
for u in http://127.0.0.1:19082 http://127.0.0.1:19281 http://127.0.0.1:19283 http://127.0.0.1:19181; do grpc_check $u; done

rss() { awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/"$(cat "$work/$1.pid")"/status; }
# CPU time of the middle hop per request (µs): all of the proxy JVM's threads, or nginx's one worker.
nginx_worker=$(pgrep -P "$(cat "$work/ngxproxy/logs/nginx.pid")")
cpu_ticks() { sed 's/.*) //' /proc/"$1"/stat | awk '{print $12, $13}'; } # user, system
with_cpu() { # pid command… → the h2 line, then the CPU µs per request it carried: user, system
  local before after out; before=$(cpu_ticks "$1"); out=$("${@:2}"); after=$(cpu_ticks "$1")
  echo "$out $(python3 -c "
b, a, n = [int(x) for x in '$before'.split()], [int(x) for x in '$after'.split()], int('$out'.split()[3].split('/')[1])
print(' '.join(f'{(a[i] - b[i]) * 1e6 / $(getconf CLK_TCK) / n:.1f}' for i in (0, 1)))")"; }
# Warm-up in six runs, each on new connections (as measured: no pipelining). After one run of 300,000 the
# proxy's JIT compiler still took 5–12 µs of CPU per request in the next measured run: closing that run's
# connections and opening new ones took branches never seen before, whose compiled code was thrown away and
# compiled again while being measured. After six runs, 0.3–0.9 µs: the steady state of a sidecar that has
# seen clients come and go. nginx and the baselines get the same.
warm() { for _ in 1 2 3 4 5 6; do h2load -n $((WARM_REQUESTS / 6)) -c 8 -t 1 "$@" >/dev/null 2>&1 || true; done; }

if [ "$mode" = "--soak" ]; then
  # Hours of traffic in minutes: good HTTP/1.1 and gRPC at a fixed rate, every other slice fully sampled
  # (spans reported to the sink), and bad input on connections of its own (bench/proxy_bad_input.py), with
  # a third proxy whose app port has no listener, so that every request to it is a 502. After each slice the
  # proxies must be back to no request in flight and no client connection open; once a minute each is made
  # to collect its garbage and its live heap and resident memory are read. A leak shows as a rise.
  proxy dead-proxy 19289 19199 19299 http://127.0.0.1:19411/api/v2/spans auto
  wait_http http://127.0.0.1:19299/ready
  SLICE=10; slices=$(( ${SOAK_SECONDS:-600} / SLICE ))
  h2sum() { h2load "$@" 2>&1 | awk '/^requests:/{t=$2; ok=$8} END{print ok "/" t}'; } # succeeded/total
  gauge() { curl -fs "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 == m {print $2 + 0}'; }
  settled() { # admin port → "in-flight open-connections" once both are 0, or as they are after 5 s; one scrape a try
    local s; for _ in $(seq 1 50); do
      s=$(curl -fs "http://127.0.0.1:$1/metrics" | awk '$1 == "proxy_requests_in_flight" {f = $2 + 0}
        $1 == "proxy_connections_open" {c = $2 + 0} END {print f, c}')
      [ "$s" = "0 0" ] && break; sleep 0.1; done; echo "$s"; }
  live_heap() { local pid; pid=$(cat "$work/$1.pid"); jcmd "$pid" GC.run >/dev/null
    jstat -gc "$pid" | awk 'NR == 2 {printf "%.1f", ($3 + $4 + $6 + $8) / 1024}'; } # S0U S1U EU OU, MiB
  echo "## Proxy soak ($(date -u +%Y-%m-%d), $(nproc) cores, ${SOAK_SECONDS:-600} s)"
  echo
  echo "Command: \`SOAK_SECONDS=${SOAK_SECONDS:-600} bench/proxy.sh --soak\`. Per ${SLICE}-second slice: HTTP/1.1 through the HTTP proxy and gRPC through the gRPC proxy, 250 req/s each (h2load, 4 connections); every other slice with every request sampled; and 20 rounds of the bad-input cases of bench/proxy_bad_input.py. Settled: requests in flight and client connections open on each proxy after the slice (0 0 expected). Live heap: after a forced collection, once a minute. Proxy JVM flags as in the launcher."
  echo
  echo "| elapsed | HTTP ok | gRPC ok | bad input answered as expected | settled (HTTP, gRPC, dead) | RSS MiB (HTTP, gRPC, dead) | live heap MiB (HTTP, gRPC, dead) |"
  echo "|---|---|---|---|---|---|---|"
  declare -A acc=(); unsettled=0
  for slice in $(seq 1 $slices); do
    sampled=$((slice % 2))
    h2sum --h1 -D $SLICE -c 4 -t 1 --rps=63 $(hdrs $sampled) http://127.0.0.1:19282/ >"$work/soak.http" & load=($!)
    h2sum -D $SLICE -c 4 -m 1 -t 1 --rps=63 $GRPC $(hdrs $sampled) http://127.0.0.1:19281/emojivoto.v1.EmojiService/FindByShortcode >"$work/soak.grpc" & load+=($!)
    bad=$(python3 bench/proxy_bad_input.py 19282 19289 19281 20 2>>"$work/soak.unexpected")
    wait "${load[@]}" # not the servers, which are children of this script too
    for k in http grpc; do read -r ok tot < <(tr / ' ' <"$work/soak.$k"); acc[${k}_ok]=$(( ${acc[${k}_ok]:-0} + ok )); acc[${k}_tot]=$(( ${acc[${k}_tot]:-0} + tot )); done
    read -r ok tot <<<"$bad"; acc[bad_ok]=$(( ${acc[bad_ok]:-0} + ok )); acc[bad_tot]=$(( ${acc[bad_tot]:-0} + tot ))
    st=""; for a in 19292 19291 19299; do s=$(settled $a); [ "$s" = "0 0" ] || unsettled=$((unsettled + 1)); st+="${st:+, }$s"; done
    if [ $((slice % 6)) = 0 ] || [ "$slice" = 1 ]; then
      echo "| $((slice * SLICE / 60)):$(printf %02d $((slice * SLICE % 60))) | ${acc[http_ok]}/${acc[http_tot]} | ${acc[grpc_ok]}/${acc[grpc_tot]} | ${acc[bad_ok]}/${acc[bad_tot]} | $st | $(rss http-proxy), $(rss grpc-proxy), $(rss dead-proxy) | $(live_heap http-proxy), $(live_heap grpc-proxy), $(live_heap dead-proxy) |"
      echo "soak: minute $((slice * SLICE / 60)) of $(( slices * SLICE / 60 ))…" >&2
    fi
  done
  echo
  echo "- good requests that failed: HTTP $(( acc[http_tot] - acc[http_ok] )) of ${acc[http_tot]}, gRPC $(( acc[grpc_tot] - acc[grpc_ok] )) of ${acc[grpc_tot]}"
  echo "- bad-input cases not answered as expected: $(( acc[bad_tot] - acc[bad_ok] )) of ${acc[bad_tot]}$( [ -s "$work/soak.unexpected" ] && printf '; the first: %s' "$(head -1 "$work/soak.unexpected")")"
  echo "- slices after which a proxy still had a request in flight or a client connection open 5 s later: $unsettled of $((slices * 3))"
  spans() { for a in 19292 19291 19299; do gauge $a "$1"; done | awk '{s += $1} END {print s}'; }
  echo "- spans the proxies reported: $(spans zipkin_reporter_spans_total); dropped: $(spans zipkin_reporter_spans_dropped_total)"
  exit 0
fi
declare -A R
echo "warming up…" >&2
# --paired: the proxy and nginx
PAIRED_TARGETS=(19282 19182)
PAIRED_NAMES=(proxy nginx) # the same order, for the report
if [ "$mode" = "--paired" ]; then
  for u in "${PAIRED_TARGETS[@]}"; do warm --h1 http://127.0.0.1:$u/; done # only what it measures
else
  for u in 19082 19281 19283 19181; do warm -m 8 $GRPC $(hdrs 0) http://127.0.0.1:$u/emojivoto.v1.EmojiService/FindByShortcode; done
  for u in 19180 19282 19284 19182; do warm --h1 http://127.0.0.1:$u/; done
fi

per_client=$((RATE / 4))
add() { R["$1"]+="$2"$'\n'; } # one round's result for a key
hop_pid() { case $1 in 19281|19282|19283|19284) ss -ltnp "sport = :$1" | grep -oP 'pid=\K[0-9]+' | head -1;; 19181|19182) echo "$nginx_worker";; *) echo "";; esac; }
run_grpc() { # label port sampled
  add "grpc fixed $1" "$(h2 -D $FIXED_SECONDS -c 4 -m 1 -t 1 --rps=$per_client $GRPC $(hdrs $3) http://127.0.0.1:$2/emojivoto.v1.EmojiService/FindByShortcode)"
  add "grpc sat $1" "$(sat_cpu "$2" h2 -D $SAT_SECONDS -c 8 -m 8 -t 1 $GRPC $(hdrs $3) http://127.0.0.1:$2/emojivoto.v1.EmojiService/FindByShortcode)"; }
sat_cpu() { # port command… → with the middle hop's CPU per request, "0 0" where there is none (direct)
  local pid; pid=$(hop_pid "$1"); if [ -n "$pid" ]; then with_cpu "$pid" "${@:2}"; else echo "$("${@:2}") 0 0"; fi; }
run_http() {
  add "http fixed $1" "$(h2 --h1 -D $FIXED_SECONDS -c 4 -t 1 --rps=$per_client $(hdrs $3) http://127.0.0.1:$2/)"
  add "http sat $1" "$(sat_cpu "$2" h2 --h1 -D $SAT_SECONDS -c 8 -t 1 $(hdrs $3) http://127.0.0.1:$2/)"
  add "wrk $1" "$(wrk_sat $2 $3)"; }
wrk_sat() { # port sampled → "req/s p50_ms p99_ms"
  wrk -t1 -c8 -d$SAT_SECONDS --latency -H "x-b3-traceid: $TRACE" -H "x-b3-spanid: a2fb4a1d1a96d312" -H "x-b3-sampled: $2" \
      http://127.0.0.1:$1/ | awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
        /Requests\/sec/{r=$2} /^ +50%/{p50=ms($2)} /^ +99%/{p99=ms($2)} END{printf "%s %.3f %.3f\n", r, p50, p99}'; }
if [ "$mode" = "--paired" ]; then
  n=${#PAIRED_TARGETS[@]}
  echo "## HTTP/1.1 saturation, paired: the proxy and nginx ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo
  echo "Command: \`ROUNDS=$ROUNDS bench/proxy.sh --paired\`. The untraced proxy (TRANSPORT=auto: $transport) and nginx's proxy_pass (one worker). ${SAT_SECONDS}s per run, 8 connections; each round starts with the next of the $n in turn. Ratios are taken within the round. CPU: the hop's user + system µs per request in the h2load run."
  echo
  for round in $(seq 1 "$ROUNDS"); do
    echo "measuring (round $round of $ROUNDS)…" >&2
    first=$(( (round - 1) % n )); order=("${PAIRED_TARGETS[@]:$first}" "${PAIRED_TARGETS[@]:0:$first}")
    declare -A H W
    for port in "${order[@]}"; do H[$port]=$(sat_cpu $port h2 --h1 -D $SAT_SECONDS -c 8 -t 1 $(hdrs 0) http://127.0.0.1:$port/); done
    for port in "${order[@]}"; do W[$port]=$(wrk_sat $port 0); done
    echo "$round $(for p in "${PAIRED_TARGETS[@]}"; do printf "%s " "${H[$p]}"; done) $(for p in "${PAIRED_TARGETS[@]}"; do printf "%s " "${W[$p]}"; done)"
  done | python3 -c '
import sys, math, statistics as st
names = sys.argv[1:] # PAIRED_NAMES
def median_interval(x):
    # Distribution-free 95% interval for a median (the sign test): the k-th smallest and k-th largest
    # value, k the largest with P(Binomial(n, 1/2) < k) <= 2.5%. It needs 6 rounds or more.
    x = sorted(x); n = len(x); k = 0; tail = 0.0
    while tail + math.comb(n, k) / 2 ** n <= 0.025:
        tail += math.comb(n, k) / 2 ** n; k += 1
    return (x[k - 1], x[n - k]) if k else (float("nan"), float("nan"))
n = len(names); base = names.index("nginx"); others = [i for i in range(n) if i != base]
rows = [l.split() for l in sys.stdin if l.strip()]
# a row: round; h2load "rps p50 p99 ok user sys" per target; then wrk "rps p50 p99" per target
h2 = lambda r, i: r[1 + 6 * i:7 + 6 * i]
wrk = lambda r, i: r[1 + 6 * n + 3 * i:4 + 6 * n + 3 * i]
rps = lambda x: float(x[0])
cpu = lambda x: float(x[4]) + float(x[5])
ratios = {(tool, i): [] for tool in ("h2", "wrk") for i in others}
cpus = [[] for _ in range(n)]
print("| round | h2load: nginx req/s | " + " | ".join(f"{names[i]} × nginx" for i in others)
      + " | CPU µs/req: " + " | ".join(names) + " | wrk: nginx req/s | " + " | ".join(f"{names[i]} × nginx" for i in others) + " |")
print("|---" * (3 + 2 * len(others) + n) + "|")
for r in rows:
    cells = [r[0], h2(r, base)[0]]
    for i in others:
        x = rps(h2(r, i)) / rps(h2(r, base)); ratios["h2", i].append(x); cells.append(f"{x:.2f}")
    for i in range(n):
        cpus[i].append(cpu(h2(r, i))); cells.append(f"{cpus[i][-1]:.1f}")
    cells.append(f"{rps(wrk(r, base)):.0f}")
    for i in others:
        x = rps(wrk(r, i)) / rps(wrk(r, base)); ratios["wrk", i].append(x); cells.append(f"{x:.2f}")
    print("| " + " | ".join(cells) + " |")
print()
for tool, tool_name in (("h2", "h2load"), ("wrk", "wrk")):
    for i in others:
        x = ratios[tool, i]
        lo, hi = median_interval(x)
        print(f"- {tool_name}: {names[i]} × nginx, median of the rounds ×{st.median(x):.2f} (95% interval ×{lo:.2f}–{hi:.2f}; rounds ×{min(x):.2f}–{max(x):.2f}); at least as much as nginx in {sum(v >= 1 for v in x)} of {len(x)} rounds")
def d(a, b):
    x = [p - q for p, q in zip(cpus[a], cpus[b])]; lo, hi = median_interval(x)
    return f"{st.median(x):+.1f} µs ({lo:+.1f} to {hi:+.1f})"
print("- CPU per request, median of the rounds: " + ", ".join(f"{names[i]} {st.median(cpus[i]):.1f} µs" for i in range(n))
      + "; paired differences against nginx (95% interval): " + ", ".join(f"{names[i]} {d(i, base)}" for i in others))' "${PAIRED_NAMES[@]}"
  exit 0
fi
for round in $(seq 1 "$ROUNDS"); do
  echo "measuring (round $round of $ROUNDS)…" >&2
  run_grpc direct 19082 0; run_grpc "proxy 0%" 19281 0; run_grpc "proxy 100%" 19281 1; run_grpc "proxy 0% epoll" 19283 0; run_grpc nginx 19181 0
  run_http direct 19180 0; run_http "proxy 0%" 19282 0; run_http "proxy 100%" 19282 1; run_http "proxy 0% epoll" 19284 0; run_http nginx 19182 0
done
# Each key's rounds → one line: the median of every numeric field ("ok/total" fields summed), then the
# range of the first (throughput) as "min–max".
declare -A RAW; for key in "${!R[@]}"; do RAW["$key"]=${R[$key]}; done
for key in "${!R[@]}"; do
  R["$key"]=$(python3 -c '
import sys, statistics
rows = [l.split() for l in sys.stdin.read().splitlines() if l.strip()]
out = []
for col in zip(*rows):
    if "/" in col[0]:
        out.append("%d/%d" % (sum(int(c.split("/")[0]) for c in col), sum(int(c.split("/")[1]) for c in col)))
    else:
        m = statistics.median(float(c) for c in col)
        decimals = max(len(c.split(".")[1]) if "." in c else 0 for c in col)
        out.append("%.0f" % m if m >= 100 else "%.*f" % (decimals, m))
first = [float(r[0]) for r in rows]
out.append("%.0f–%.0f" % (min(first), max(first)))
print(" ".join(out))' <<<"${R[$key]}")
done
grpc_rss=$(rss grpc-proxy); http_rss=$(rss http-proxy)
spans=$(( $(curl -s http://127.0.0.1:19291/metrics | awk '/^zipkin_reporter_spans_total/{s+=$2} END{printf "%d", s}') \
        + $(curl -s http://127.0.0.1:19292/metrics | awk '/^zipkin_reporter_spans_total/{s+=$2} END{printf "%d", s}') ))

f() { awk '{print $'"$2"'}' <<<"${R[$1]}"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}' if $2 else 'n/a')"; }
# Throughput of one key over another's, round by round (the two ran a minute apart, not many), as
# "median (min–max)": steadier than the ratio of the medians when the machine's speed drifts.
round_ratio() { python3 -c '
import sys, statistics
a, b = ([float(l.split()[0]) for l in x.splitlines() if l.strip()] for x in sys.argv[1:3])
r = [x / y for x, y in zip(a, b)]
print("×%.2f" % statistics.median(r) + (" (×%.2f–%.2f)" % (min(r), max(r)) if len(r) > 1 else ""))' "${RAW[$1]}" "${RAW[$2]}"; }
echo "## Proxy benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, Java $("$java" -version 2>&1 | head -1 | cut -d'"' -f2))"
echo
echo "Command: \`ROUNDS=$ROUNDS bench/proxy.sh${mode:+ $mode}\` (medians of $ROUNDS interleaved rounds). \"proxy\" rows: TRANSPORT=auto, which took $transport here; \"epoll\": the same proxy on epoll. nginx as the equivalent proxy runs in its own process, like the proxy; each has one worker (worker_processes 1, IO_THREADS=1). Fixed rate: $RATE req/s for ${FIXED_SECONDS}s (h2load --rps, 4 connections). Warm-up: $WARM_REQUESTS requests to each target, in 6 runs on new connections. Saturation: ${SAT_SECONDS}s each (h2load, 8 connections; gRPC 8 streams each; and wrk -c8), with the range over the rounds. Hop CPU: the middle hop's user + system CPU per request during the h2load saturation run (all of the proxy JVM's threads, nginx's one worker)."
echo
for kind in grpc http; do
  echo "### $( [ $kind = grpc ] && echo 'gRPC unary (emoji-svc FindByShortcode, h2c)' || echo 'HTTP/1.1 (nginx answering 200)')"
  echo
  echo "| path | fixed: req/s | fixed: p50 ms | fixed: p99 ms | saturation: req/s (median) | sat: range | sat: p50 ms | sat: p99 ms | ok | hop CPU µs/req (user + sys) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  rows=(direct "proxy 0%" "proxy 100%" "proxy 0% epoll" nginx)
  for who in "${rows[@]}"; do
    echo "| $who | $(f "$kind fixed $who" 1) | $(f "$kind fixed $who" 2) | $(f "$kind fixed $who" 3) | $(f "$kind sat $who" 1) | $(f "$kind sat $who" 7) | $(f "$kind sat $who" 2) | $(f "$kind sat $who" 3) | $(f "$kind sat $who" 4) | $( [ "$who" = direct ] && echo — || echo "$(f "$kind sat $who" 5) + $(f "$kind sat $who" 6)") |"
  done
  echo
  for who in "${rows[@]:1}"; do
    echo "- $who vs direct: added p50 $(python3 -c "print(f'{$(f "$kind fixed $who" 2)-$(f "$kind fixed direct" 2):.3f}')") ms, added p99 $(python3 -c "print(f'{$(f "$kind fixed $who" 3)-$(f "$kind fixed direct" 3):.3f}')") ms at $RATE req/s; saturation throughput ×$(ratio "$(f "$kind sat $who" 1)" "$(f "$kind sat direct" 1)") of direct, $(round_ratio "$kind sat $who" "$kind sat nginx") of nginx"
  done
  echo
done
echo "### HTTP/1.1 with wrk (saturation, 8 connections)"
echo
echo "| path | req/s (median) | range | p50 ms | p99 ms |"
echo "|---|---|---|---|---|"
for who in direct "proxy 0%" "proxy 100%" "proxy 0% epoll" nginx; do echo "| $who | $(f "wrk $who" 1) | $(f "wrk $who" 4) | $(f "wrk $who" 2) | $(f "wrk $who" 3) |"; done
echo
for who in "proxy 0%" "proxy 100%" "proxy 0% epoll"; do echo "- $who vs nginx, round by round: $(round_ratio "wrk $who" "wrk nginx")"; done
echo
echo "Proxy memory (RSS after the runs): gRPC proxy ${grpc_rss} MiB, HTTP proxy ${http_rss} MiB (JVM: $PROXY_JAVA_OPTS)."
echo "Spans the proxies reported (zipkin_reporter_spans_total, all from the 100% runs): ${spans}."
