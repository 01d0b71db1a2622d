#!/bin/sh
# The live count while people sign (docs/BENCHMARKS.md, "Signing"): the server in its own JVM on a
# fresh database, LiveCountBench in another with N bridge clients following the count, and wrk in a
# third signing with requireEmail:false.
# Usage: bench/signing/live.sh [clients] [seconds] [connections]   (HEAP=1g by default)
# SKIP_BUILD=1 uses target/ as it is. PROFILE=dir records a CPU profile of the server (JFR) while wrk signs: dir/live-<clients>.jfr.
set -eu
cd "$(dirname "$0")/../.."
. bench/signing/cpu.sh
CLIENTS=${1:-10000}
SECONDS_RUN=${2:-20}
CONNECTIONS=${3:-64}
[ -n "${SKIP_BUILD:-}" ] || mvn -q -o -Dskip.web=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB=convene_bench_live_$$
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB java ${PROFILE:+-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} -Xmx"${HEAP:-1g}" \
  -cp "target/classes:$(cat target/bench-cp.txt)" org.convene.app.Main > target/bench-live-server.log 2>&1 &
SERVER=$!
LISTENER=
trap 'kill $SERVER $LISTENER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres' EXIT
URL=http://127.0.0.1:$PORT
until curl -sf "$URL/health" > /dev/null; do sleep 0.2; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"
CREATED=$(curl -sSf -H 'Content-Type: application/json' -d '{"title":"Live","text":"We sign."}' "$URL/api/manifestos")
ID=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
ADMIN=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"]["admin"])')
curl -sSf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"One"}' "$URL/api/manifestos/$ID/versions" > /dev/null
curl -sSf -X POST -H "Authorization: Bearer $ADMIN" "$URL/api/manifestos/$ID/versions/1/publish" > /dev/null
curl -sSf -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"requireEmail":false,"rateLimit":{"perIpBurst":0,"perIpPerHour":0}}' "$URL/api/manifestos/$ID/signing" > /dev/null
OUT=target/bench-live-listener.txt
: > "$OUT" # not the last run's "listening": wrk must wait for this run's clients
java -Xmx"${HEAP:-1g}" -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" org.convene.bench.LiveCountBench \
  "$PORT" "$ID" "$CLIENTS" "$SECONDS_RUN" "jdbc:postgresql://127.0.0.1:5432/$DB" > "$OUT" 2>&1 &
LISTENER=$!
until grep -q listening "$OUT"; do sleep 0.5; done
grep listening "$OUT"
cpu_snapshot target/bench-cpu-before.txt
[ -z "${PROFILE:-}" ] || jcmd $SERVER JFR.start name=live settings=profile filename="$(realpath "$PROFILE")/live-$CLIENTS.jfr" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/signing/sign.lua "$URL/api/manifestos/$ID/signatures" \
  | grep -E "50%|99%|Requests/sec|requests in"
cpu_snapshot target/bench-cpu-after.txt
[ -z "${PROFILE:-}" ] || jcmd $SERVER JFR.stop name=live > /dev/null
cpu_per_signature target/bench-cpu-before.txt target/bench-cpu-after.txt $SERVER $DB \
  "$(psql -At -h 127.0.0.1 -U postgres -c "SELECT count(*) FROM signatures WHERE manifesto_id = '$ID'" "$DB")"
wait $LISTENER
grep "count messages" "$OUT"
