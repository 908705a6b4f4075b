#!/usr/bin/env bash
# What encoding a span costs with the library every Java part uses (Brave's encoders, as zipkin-reporter
# calls them), JSON against protobuf, and with the tags web-svc's span leaves off against without: the
# floor under the encoding cost the pipeline's profiles show (docs/benchmarks.md, "What tracing costs").
# One process, hot caches, about half a minute. JAVA_HOME picks the JDK.
# Usage: bench/span-encoding.sh    Output: a Markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
java=java; [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
./mvnw -B -ntp -q -pl span-reporter dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$classpath" >/dev/null
echo "Span encoding, $("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'), $(nproc) cores:"
echo
"$java" -cp "$(cat "$classpath")" bench/SpanEncoding.java
