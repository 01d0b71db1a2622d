#!/bin/sh
# The live count while people sign (docs/BENCHMARKS.md, "Signing"): the server in its own JVM on a
# fresh database, LiveCountBench in another with N bridge clients following the count and C signers.
# Usage: bench/signing/live.sh [clients] [signers] [seconds]
set -eu
cd "$(dirname "$0")/../.."
mvn -q -o -Dskip.web=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB=convene_bench_live_$$
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB java -Xmx"${HEAP:-1g}" -cp "target/classes:$(cat target/bench-cp.txt)" \
  org.convene.app.Main > target/bench-live-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.2; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
ulimit -n 65536 2>/dev/null || true
java -Xmx"${HEAP:-1g}" -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" org.convene.bench.LiveCountBench \
  "$PORT" "${1:-10000}" "${2:-64}" "${3:-20}"
