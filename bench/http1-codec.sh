#!/usr/bin/env bash
# What the HTTP/1.1 codec costs per proxied request, without sockets or other processes (JMH):
# Netty's codecs as the proxy used them (before it read HTTP/1.1 itself), Jetty's strict parser as the alternative, and a byte scan as
# the floor of any parser that checks the head in place. bench/proxy.sh measures the whole proxy against
# nginx; this splits off the part of the gap that parsing and encoding are. See bench/http1-codec/.
# Usage: bench/http1-codec.sh [JMH options, e.g. -f 1 -wi 2 -i 3 for a quick look]
# Output: JMH's table (ns per request: request in and out, response in and out).
set -euo pipefail
cd "$(dirname "$0")/.."
project=bench/http1-codec
./mvnw -q -B -f "$project/pom.xml" package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath -DskipTests >/dev/null
exec java -cp "$project/target/classes:$(cat "$project/target/classpath")" org.openjdk.jmh.Main \
  -rf text -rff "$project/target/result.txt" "$@" Http1CodecCost
