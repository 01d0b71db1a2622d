#!/bin/sh
# Signing benchmark (docs/BENCHMARKS.md, "Signing"): the real server in its own JVM on a fresh
# database, wrk in another process signing with a unique email per request, once with
# requireEmail:false (counted at once) and once with email (pending + outbox row).
# Usage: bench/signing/run.sh [seconds] [connections]
# SKIP_BUILD=1 uses target/ as it is. PROFILE=dir records a CPU profile of the server (JFR) during each wrk run: dir/signing-<requireEmail>.jfr,
# summarised with `java -cp ... org.convene.bench.Bench jfr-top FILE` (src/test/java/org/convene/bench/JfrTop.java).
set -eu
cd "$(dirname "$0")/../.."
. bench/signing/cpu.sh
SECONDS_RUN=${1:-20}
CONNECTIONS=${2:-64}
[ -n "${SKIP_BUILD:-}" ] || mvn -q -o -Dskip.web=true compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SMTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB=convene_bench_signing_$$
LOG=target/bench-signing-server.log
# SMTP points at a closed port: the sender only retries, so its cost with a real SMTP server is not measured.
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB SMTP_HOST=127.0.0.1 SMTP_PORT=$SMTP_PORT \
  MAIL_FROM=bench@example.org java $(grep -v '^#' bin/java-options) ${PROFILE:+-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} -Xmx1g -cp "target/classes:$(cat target/bench-cp.txt)" org.convene.app.Main \
  > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres' EXIT
URL=http://127.0.0.1:$PORT
wait_healthy "$URL" $SERVER "$LOG"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"


run() { # $1 = requireEmail
  manifesto "$1"
  echo "== requireEmail:$1, $CONNECTIONS connections, ${SECONDS_RUN}s"
  cpu_snapshot target/bench-cpu-before.txt
  [ -z "${PROFILE:-}" ] || jcmd $SERVER JFR.start name=signing-$1 settings=profile filename="$(realpath "$PROFILE")/signing-$1.jfr" > /dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/signing/sign.lua "$URL/api/manifestos/$ID/signatures"
  cpu_snapshot target/bench-cpu-after.txt
  [ -z "${PROFILE:-}" ] || jcmd $SERVER JFR.stop name=signing-$1 > /dev/null
  echo "stored: $(psql -At -h 127.0.0.1 -U postgres -c "SELECT state, count(*) FROM signatures WHERE manifesto_id = '$ID' GROUP BY state" "$DB" | tr '\n' ' ')"
  echo "outbox rows: $(psql -At -h 127.0.0.1 -U postgres -c "SELECT count(*) FROM mail_outbox WHERE manifesto_id = '$ID'" "$DB")"
  cpu_per_signature target/bench-cpu-before.txt target/bench-cpu-after.txt $SERVER $DB \
    "$(psql -At -h 127.0.0.1 -U postgres -c "SELECT count(*) FROM signatures WHERE manifesto_id = '$ID'" "$DB")"
}
# Warm-up (the JIT compiles the hot paths), on a manifesto of its own, not measured.
manifesto false
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-5}s" -s bench/signing/sign.lua "$URL/api/manifestos/$ID/signatures" > /dev/null
run false
run true
