#!/bin/sh
# The live count while people sign (docs/BENCHMARKS.md, "Signing"): the server in its own JVM on a
# fresh database, LiveCountBench in another with N bridge clients following the count, and wrk in a
# third signing.
# Usage: bench/signing/live.sh [clients] [seconds] [connections]
#   EMAIL=true     wrk signs with email (pending + outbox row: the count does not move), so the pages
#                  follow a second manifesto whose count moves: a signature counted at once every 0.2 s
#   CONNECTIONS=0  no wrk, only that trickle: what the pages alone cost the server (fan-out, pings)
#   TRICKLE=5      the trickle's signatures per second (TRICKLE=0 with CONNECTIONS=0: idle pages)
#   TRANSPORT=raw  the bridge's raw WebSocket endpoint (default: sockjs, SockJS's WebSocket transport,
#                  as browsers use it)
#   SERVER_CLASSES=dir  run the server from another build's classes (side by side with an older commit);
#   LISTENER_CLASSES=dir put another LiveCountBench first on the listener's class path
#   WARMUP=5       seconds of the same load before the measured window (the JIT compiles the hot paths)
#   HEAP=1g, SKIP_BUILD=1 uses target/ as it is, PROFILE=dir records a JFR profile of the server while
#   wrk signs: dir/live-<clients>.jfr
set -eu
cd "$(dirname "$0")/../.."
. bench/signing/cpu.sh
CLIENTS=${1:-10000}
SECONDS_RUN=${2:-20}
CONNECTIONS=${3:-64}
EMAIL=${EMAIL:-false}
[ -n "${SKIP_BUILD:-}" ] || mvn -q -o -Dskip.web=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SMTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB=convene_bench_live_$$
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB SMTP_HOST=127.0.0.1 SMTP_PORT=$SMTP_PORT \
  MAIL_FROM=bench@example.org java $(grep -v '^#' bin/java-options) ${PROFILE:+-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:FlightRecorderOptions:stackdepth=256} -Xmx"${HEAP:-1g}" \
  -cp "${SERVER_CLASSES:-target/classes}:$(cat target/bench-cp.txt)" org.convene.app.Main > target/bench-live-server.log 2>&1 &
SERVER=$!
LISTENER=
TRICKLER=
trap 'kill $SERVER $LISTENER $TRICKLER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres' EXIT
trap 'exit 1' INT TERM
URL=http://127.0.0.1:$PORT
wait_healthy "$URL" $SERVER target/bench-live-server.log
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); server ${SERVER_CLASSES:-target/classes}, bench $(git describe --always --dirty)"

manifesto false Live
FOLLOWED=$ID
SIGNED=$ID
[ "$EMAIL" = false ] || { manifesto true Live; SIGNED=$ID; }

OUT=target/bench-live-listener.txt
: > "$OUT" # not the last run's "listening": wrk must wait for this run's clients
java -Xmx"${HEAP:-1g}" -cp "${LISTENER_CLASSES:+$LISTENER_CLASSES:}target/classes:target/test-classes:$(cat target/bench-cp.txt)" org.convene.bench.LiveCountBench \
  "$PORT" "$FOLLOWED" "$CLIENTS" "$SECONDS_RUN" "jdbc:postgresql://127.0.0.1:5432/$DB" "${TRANSPORT:-sockjs}" > "$OUT" 2>&1 &
LISTENER=$!
until grep -q listening "$OUT"; do sleep 0.5; done
grep listening "$OUT"
TRICKLE=${TRICKLE:-5}
if { [ "$EMAIL" != false ] || [ "$CONNECTIONS" = 0 ]; } && [ "$TRICKLE" != 0 ]; then
  (i=0; while [ $i -lt $(((SECONDS_RUN + ${WARMUP:-5}) * TRICKLE)) ]; do i=$((i + 1))
     curl -s -o /dev/null -H 'Content-Type: application/json' \
       -d "{\"name\":\"Trickle $i\",\"email\":\"t$i@bench.example.org\",\"country\":\"FR\",\"display\":\"full\"}" \
       "$URL/api/manifestos/$FOLLOWED/signatures"
     sleep "$(echo "1 / $TRICKLE" | bc -l)"; done) &
  TRICKLER=$!
fi
if [ "$CONNECTIONS" = 0 ]; then
  sleep "${WARMUP:-5}"
else
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-5}s" -s bench/signing/sign.lua "$URL/api/manifestos/$SIGNED/signatures" > /dev/null
fi
echo "== requireEmail:$EMAIL, $CONNECTIONS connections, ${SECONDS_RUN}s, $CLIENTS pages over ${TRANSPORT:-sockjs}"
[ -z "${PROFILE:-}" ] || jcmd $SERVER JFR.start name=live settings=profile filename="$(realpath "$PROFILE")/live-$CLIENTS.jfr" > /dev/null
cpu_snapshot target/bench-cpu-before.txt
head -1 /proc/stat > target/bench-stat-before.txt
START=$(date +%s.%N)
if [ "$CONNECTIONS" = 0 ]; then
  sleep "$SECONDS_RUN"
else
  /usr/bin/time -f "wrk %U %S" -o target/bench-live-wrk-cpu.txt wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency \
    -s bench/signing/sign.lua "$URL/api/manifestos/$SIGNED/signatures" > target/bench-live-wrk.txt
  grep -E "50%|99%|Requests/sec|requests in|Non-2xx" target/bench-live-wrk.txt
fi
cpu_snapshot target/bench-cpu-after.txt
head -1 /proc/stat > target/bench-stat-after.txt
WINDOW=$(echo "$(date +%s.%N) - $START" | bc)
[ -z "${PROFILE:-}" ] || jcmd $SERVER JFR.stop name=live > /dev/null
kill -TERM $TRICKLER 2>/dev/null || true
cpu_shares target/bench-cpu-before.txt target/bench-cpu-after.txt "$WINDOW" server=$SERVER listener=$LISTENER
[ "$CONNECTIONS" = 0 ] || awk -v w="$WINDOW" '{ printf "wrk %.0f%% of one core\n", ($2 + $3) / w * 100 }' target/bench-live-wrk-cpu.txt
machine_busy target/bench-stat-before.txt target/bench-stat-after.txt
[ "$CONNECTIONS" = 0 ] || cpu_per_signature target/bench-cpu-before.txt target/bench-cpu-after.txt $SERVER $DB \
  "$(psql -At -h 127.0.0.1 -U postgres -c "SELECT count(*) FROM signatures WHERE manifesto_id = '$SIGNED'" "$DB")"
[ "$EMAIL" = false ] || echo "outbox rows: $(psql -At -h 127.0.0.1 -U postgres -c "SELECT count(*) FROM mail_outbox WHERE manifesto_id = '$SIGNED'" "$DB")"
wait $LISTENER
grep -E "count messages|every page" "$OUT"
