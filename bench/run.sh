#!/usr/bin/env bash
# Benchmarks of live co-editing: builds once, runs the server as its own JVM on a fresh database,
# drives it with the load generator (org.convene.bench.Bench, in src/test/java), prints the figures.
#
#   bench/run.sh                         every scenario (about 15 minutes)
#   bench/run.sh trace-composed          one scenario; several may be named
#   bench/run.sh authors 50,200          the authors scenario with these sizes only
#
# Scenarios: pg-baseline, apply-micro, trace-composed, trace-acked, authors [N,N,...], max-throughput.
# Environment (all optional):
#   BENCH_PG=shared|private shared (default): PostgreSQL at 127.0.0.1:5432. private: a throw-away
#                           cluster of the same PostgreSQL 15 (initdb, default settings) on a free port,
#                           for machines where other work restarts or loads the shared one
#   BENCH_OUT=dir           where logs, results.tsv and summary.txt go (default bench/out/<timestamp>)
#   BENCH_SKIP_BUILD=1      reuse target/ as it is
#   BENCH_BUILD_DIR=dir     build a copy of the work tree there instead of in place (shared machines:
#                           nobody else's mvn run and nobody's edits touch the build under test)
#   PROFILE=1               record the server with JFR (settings=profile); summary in profile-*.txt
#   PROFILE_GENERATOR=1     the same for the load generator
#   SERVER_JAVA_OPTS=...    extra JVM options for the server (e.g. -XX:+UseParallelGC to compare collectors)
#   SERVER_JAR=path         run this jar as the server instead of the one built (another commit's build,
#                           side by side with the same generator)
#   TRACE_COMPOSED_REPEAT=3 MAX_THROUGHPUT_REPEAT=3 APPLY_MICRO_REPEAT=3 COLD_RESTARTS=3 OPENS=20
#   AUTHORS_SIZES=50,100,200,500,1000 AUTHORS_WARMUP=5 AUTHORS_DURATION=20 EDITORS=50
#   AUTHORS_ARGS="..."      extra generator options for authors, e.g. "--delayed-share 0.3" (150-300 ms
#                           added each way for 30% of authors), "--deflate false" (no permessage-deflate
#                           offer), "--sockjs-share 0.1 --xhr-share 0.01" (the defaults: authors on SockJS's
#                           WebSocket transport and on XHR streaming; the rest on the raw endpoint)
#   storm: authors (default sizes from AUTHORS_SIZES) that reconnect; STORM_AFTER=15 s into the typing
#                           the server gets SIG${STORM_SIGNAL:-KILL} (KILL or TERM), then restarts on its port
#   PG_STALL_AFTER=s PG_STALL_SECONDS=3  with BENCH_PG=private: SIGSTOP the cluster s seconds into
#                           the authors run, SIGCONT it after PG_STALL_SECONDS
#   TRACE_ACKED_LIMIT=n     replay only the first n patches in trace-acked
#   TRACE_ACKED_MAX_SECONDS=420  stop trace-acked's replay after this long (figures are for what was done)
#   PGBENCH_SECONDS=10
#   BENCH_COMMIT=abc1234    what meta.txt names as the commit (for a tree that is not a git checkout)
set -euo pipefail

# Everything is in main, so that bash has read the whole script before it runs any of it (editing
# this file during a run cannot break the run).
main() {

  ROOT=$(cd "$(dirname "$0")/.." && pwd)
  cd "$ROOT"

  SCENARIOS=()
  AUTHORS_SIZES=${AUTHORS_SIZES:-50,100,200,500,1000}
  for arg in "$@"; do
    case "$arg" in
      pg-baseline|apply-micro|trace-composed|trace-acked|authors|max-throughput|storm) SCENARIOS+=("$arg") ;;
      [0-9]*)
        if [[ ${#SCENARIOS[@]} -gt 0 && ${SCENARIOS[-1]} =~ ^(authors|storm)$ && $arg =~ ^[0-9,]+$ ]]; then
          AUTHORS_SIZES=$arg
        else
          echo "unexpected argument: $arg" >&2; exit 2
        fi ;;
      -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
      *) echo "unknown scenario: $arg (pg-baseline, apply-micro, trace-composed, trace-acked, authors, max-throughput)" >&2; exit 2 ;;
    esac
  done
  [[ ${#SCENARIOS[@]} -eq 0 ]] && SCENARIOS=(pg-baseline apply-micro trace-composed trace-acked authors max-throughput)

  OUT=${BENCH_OUT:-$ROOT/bench/out/$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  RESULTS=$OUT/results.tsv

  log() { printf '[run %s] %s\n' "$(date +%T)" "$*"; }

  # ---- what was measured, on what -------------------------------------------------------------------
  {
    echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "command: bench/run.sh $*"
    echo "commit:  ${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}$(git status --porcelain -- src/main db pom.xml 2>/dev/null | grep -q . && echo ' + uncommitted changes in src/main, db or pom.xml' || true)${SERVER_JAR:+ (server: $SERVER_JAR)}"
    echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "java:    $(java -version 2>&1 | head -1)"
    echo "postgres: $(psql -h 127.0.0.1 -U postgres -Atc 'show server_version' 2>/dev/null || echo '?')"
  } | tee "$OUT/meta.txt"

  # ---- PostgreSQL ------------------------------------------------------------------------------------------
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  PG_PORT=5432
  PG_DIR=
  PG_MATCH=
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  if [[ ${BENCH_PG:-shared} == private ]]; then
    PG_PORT=$(free_port)
    PG_DIR=/tmp/convene-bench-pg-$PG_PORT
    PG_MATCH=convene-bench-$PG_PORT
    mkdir -p "$PG_DIR" && chown postgres:postgres "$PG_DIR"
    su postgres -c "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 --no-sync" >"$OUT/pg-initdb.log" 2>&1
    su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/postgres.log -w -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c cluster_name=$PG_MATCH -c shared_buffers=128MB -c max_wal_size=1GB -c min_wal_size=80MB' start" >/dev/null
    trap stop_private_pg EXIT # until the full cleanup below is in place (a failed build must not leave it running)
    echo "postgres: private cluster $PG_DIR on port $PG_PORT (initdb defaults, shared_buffers 128MB)" | tee -a "$OUT/meta.txt"
  else
    echo "postgres: shared cluster at 127.0.0.1:5432" | tee -a "$OUT/meta.txt"
  fi
  export TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$PG_PORT/
  stop_private_pg() {
    if [[ -n $PG_DIR ]]; then
      cp "$PG_DIR/postgres.log" "$OUT/postgres.log" 2>/dev/null || true
      su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop" >/dev/null 2>&1 || true
      rm -rf "$PG_DIR"
      PG_DIR=
    fi
  }

  # ---- build once --------------------------------------------------------------------------------------
  SRC=$ROOT
  if [[ -n ${BENCH_BUILD_DIR:-} ]]; then
    SRC=$BENCH_BUILD_DIR
    mkdir -p "$SRC"
    rsync -a --delete --exclude target --exclude web/node_modules --exclude bench/out --exclude .git "$ROOT/" "$SRC/"
  fi
  if [[ -z ${BENCH_SKIP_BUILD:-} ]]; then
    log "building in $SRC"
    (cd "$SRC" && mvn -q -Dskip.web=true -DskipTests package && mvn -q -Dskip.web=true test-compile \
      && mvn -q dependency:build-classpath -Dmdep.outputFile="$SRC/target/bench.classpath")
  elif [[ ! -f $SRC/target/bench.classpath ]]; then
    (cd "$SRC" && mvn -q dependency:build-classpath -Dmdep.outputFile="$SRC/target/bench.classpath")
  fi
  # A private copy: a rebuild in target/ during the run cannot change what is being measured.
  mkdir -p "$OUT/build"
  cp "${SERVER_JAR:-$SRC/target/convene.jar}" "$OUT/build/convene.jar"
  rm -rf "$OUT/build/classes" "$OUT/build/test-classes"
  cp -r "$SRC/target/classes" "$OUT/build/classes"
  cp -r "$SRC/target/test-classes" "$OUT/build/test-classes"
  CP="$OUT/build/test-classes:$OUT/build/classes:$(cat "$SRC/target/bench.classpath")"

  GEN_OPTS=(-Xmx3g -XX:+UseG1GC)
  gen() { java "${GEN_OPTS[@]}" -cp "$CP" org.convene.bench.Bench "$@"; }

  # ---- the server: its own JVM, its own database -----------------------------------------------------
  SERVER_PID=
  GEN_PID=
  PORT=
  DB_URL=
  GC_LOG=
  STARTS=0

  start_server() {
    STARTS=$((STARTS + 1))
    PORT=${KEEP_PORT:-$(free_port)}
    GC_LOG=$OUT/server-$STARTS.gc.log
    local jfr=()
    if [[ -n ${PROFILE:-} ]]; then
      jfr=(-XX:FlightRecorderOptions:stackdepth=256 "-XX:StartFlightRecording=filename=$OUT/server-$STARTS.jfr,settings=profile,jdk.ExecutionSample#period=5ms,dumponexit=true")
    fi
    # shellcheck disable=SC2046 # bin/java-options: one option a word
    PORT=$PORT DATABASE_URL=$DB_URL RATE_LIMIT_FRAMES=0 \
      java $(grep -v "^#" bin/java-options) -Xmx2g ${SERVER_JAVA_OPTS:-} "-Xlog:gc:file=$GC_LOG" "${jfr[@]}" -jar "$OUT/build/convene.jar" >"$OUT/server-$STARTS.log" 2>&1 &
    SERVER_PID=$!
    local launched=$EPOCHREALTIME
    local deadline=$((SECONDS + 120))
    until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
      if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "server exited during start-up; see $OUT/server-$STARTS.log" >&2; tail -20 "$OUT/server-$STARTS.log" >&2; exit 1
      fi
      if ((SECONDS > deadline)); then echo "server not healthy after 120 s" >&2; exit 1; fi
      sleep 0.2
    done
    log "server pid $SERVER_PID on port $PORT (start $STARTS), healthy $(awk -v a="$launched" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s after launch"
  }

  stop_server() { # graceful: SIGTERM lets it finish commits and store snapshots
    [[ -z $SERVER_PID ]] && return 0
    local t0=$SECONDS
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 40))
    while kill -0 "$SERVER_PID" 2>/dev/null; do
      if ((SECONDS > deadline)); then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
      sleep 0.2
    done
    wait "$SERVER_PID" 2>/dev/null || true
    log "server stopped (SIGTERM) in $((SECONDS - t0)) s"
    SERVER_PID=
    summarize_profile
  }

  crash_server() { # SIGKILL: no final snapshot, nothing flushed but what was committed
    if [[ -n ${PROFILE:-} ]]; then # a killed JVM writes no recording: take it first
      jcmd "$SERVER_PID" JFR.dump filename="$OUT/server-$STARTS.jfr" >/dev/null 2>&1 || true
    fi
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    log "server killed (SIGKILL)"
    SERVER_PID=
    summarize_profile
  }

  # CPU samples of the server: the whole recording, then each measured window it covers.
  summarize_profile() {
    if [[ -n ${PROFILE:-} && -f $OUT/server-$STARTS.jfr ]]; then
      profile_of "$OUT/server-$STARTS.jfr" "$OUT/profile-server-$STARTS.txt"
    fi
  }

  profile_of() { # jfr file, text file
    gen jfr-top "$1" --top 25 --match org.convene >"$2" 2>&1 || true
    if [[ -f $OUT/windows.tsv ]]; then
      while IFS=$'\t' read -r label from to; do
        { echo; echo "==== window $label"; gen jfr-top "$1" --top 25 --match org.convene --from-epoch-ms "$from" --to-epoch-ms "$to"; } \
          >"$2.tmp" 2>&1 || true
        grep -q ' 0 CPU samples' "$2.tmp" || cat "$2.tmp" >>"$2"
        rm -f "$2.tmp"
      done <"$OUT/windows.tsv"
    fi
    log "profile: $2"
  }

  fresh_db() { DB_URL=$(gen db-url | tail -1); }
  drop_db() { [[ -n $DB_URL ]] && gen drop-db "$DB_URL" >/dev/null 2>&1 || true; DB_URL=; }

  cleanup() {
    if [[ -n ${GEN_PID:-} ]]; then kill -TERM "$GEN_PID" 2>/dev/null || true; fi
    if [[ -n $SERVER_PID ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; sleep 2; kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
    drop_db
    stop_private_pg
  }
  trap cleanup EXIT

  # A server log that shows the database going away means the figures of that run are not to be used.
  check_server_log() {
    if grep -q "57P03\|Connection refused\|failed; reloading\|terminating connection" "$OUT"/server-*.log 2>/dev/null; then
      log "WARNING: the server lost PostgreSQL during this run (restarted by someone else?): discard these figures"
      echo "WARNING: PostgreSQL went away during a run; see server-*.log" >>"$OUT/meta.txt"
    fi
  }

  # PostgreSQL alone: single-row INSERT transactions from one client, and from 8 (pgbench).
  pg_baseline() {
    local db=convene_pgbench_$$
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $db" >/dev/null
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -qc "CREATE TABLE ops (id bigserial PRIMARY KEY, doc text NOT NULL, op text NOT NULL, created_at timestamptz NOT NULL)" >/dev/null
    echo "INSERT INTO ops (doc, op, created_at) VALUES ('OWfeQd7v8cRQXf0E', '[1234,\"a\",5678]', now());" >"$OUT/pgbench-insert.sql"
    for clients in 1 8; do
      local tps
      tps=$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$clients" -j 1 -T "${PGBENCH_SECONDS:-10}" \
        -f "$OUT/pgbench-insert.sql" "$db" 2>&1 | tee -a "$OUT/pgbench.log" | awk '/^tps/ {print $3; exit}')
      printf 'pg-baseline\t%s\tinsert_tx_per_s\t%s\ttx/s (pgbench, %s client(s), -M prepared)\n' "$clients" "$tps" "$clients" | tee -a "$RESULTS"
    done
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
  }

  # The generator, pointed at the running server. Extra JFR for the generator when asked.
  drive() {
    local extra=()
    if [[ -n ${PROFILE_GENERATOR:-} ]]; then
      extra=(-XX:FlightRecorderOptions:stackdepth=256 "-XX:StartFlightRecording=filename=$OUT/generator-$1-$STARTS.jfr,settings=profile,jdk.ExecutionSample#period=5ms,dumponexit=true")
    fi
    java "${GEN_OPTS[@]}" "${extra[@]}" -cp "$CP" org.convene.bench.Bench "$@" \
      --port "$PORT" --server-pid "$SERVER_PID" --gc-log "$GC_LOG" --results "$RESULTS" --pg-match "$PG_MATCH" \
      --windows "$OUT/windows.tsv" > >(tee -a "$OUT/generator.log") 2>&1 &
    GEN_PID=$!
    local status=0
    wait "$GEN_PID" || status=$?
    GEN_PID=
    if [[ -n ${PROFILE_GENERATOR:-} && -f $OUT/generator-$1-$STARTS.jfr ]]; then
      profile_of "$OUT/generator-$1-$STARTS.jfr" "$OUT/profile-generator-$1-$STARTS.txt"
    fi
    return "$status"
  }

  # PostgreSQL stalls for PG_STALL_SECONDS (default 3): every process of the private cluster gets
  # SIGSTOP, PG_STALL_AFTER seconds after the generator starts, then SIGCONT.
  stall_pg_later() {
    if [[ -z $PG_DIR ]]; then echo "PG_STALL_AFTER needs BENCH_PG=private (never stop the shared cluster)" >&2; exit 2; fi
    (
      sleep "$PG_STALL_AFTER"
      local pids
      pids="$(head -1 "$PG_DIR/data/postmaster.pid") $(pgrep -f "postgres: $PG_MATCH" | tr '\n' ' ')"
      # shellcheck disable=SC2086
      kill -STOP $pids
      log "PostgreSQL stopped (SIGSTOP) at $(date +%s.%N | cut -c1-14): $pids"
      sleep "${PG_STALL_SECONDS:-3}"
      # shellcheck disable=SC2086
      kill -CONT $pids
      log "PostgreSQL continued (SIGCONT) at $(date +%s.%N | cut -c1-14)"
    ) &
  }

  STATUS=0
  for scenario in "${SCENARIOS[@]}"; do
    log "=== $scenario"
    if [[ $scenario == pg-baseline ]]; then
      pg_baseline || STATUS=1
      continue
    fi
    if [[ $scenario == apply-micro ]]; then
      gen apply-micro --repeat "${APPLY_MICRO_REPEAT:-3}" --results "$RESULTS" | tee -a "$OUT/generator.log" || STATUS=1
      continue
    fi
    fresh_db
    start_server
    case $scenario in
      trace-composed)
        drive trace-composed --repeat "${TRACE_COMPOSED_REPEAT:-3}" || STATUS=1 ;;
      trace-acked)
        drive trace-acked --state "$OUT/state.json" --opens "${OPENS:-20}" --max-seconds "${TRACE_ACKED_MAX_SECONDS:-420}" \
          ${TRACE_ACKED_LIMIT:+--limit $TRACE_ACKED_LIMIT} || STATUS=1
        # Cold opens: after a crash the document loads from its newest periodic snapshot plus the ops
        # after it; after a graceful stop, from the snapshot taken at shutdown. Crashes first, since a
        # graceful stop adds a snapshot at the head.
        for i in $(seq 1 "${COLD_RESTARTS:-3}"); do
          crash_server; start_server
          drive open-cold --state "$OUT/state.json" --label crash || STATUS=1
        done
        for i in $(seq 1 "${COLD_RESTARTS:-3}"); do
          stop_server; start_server
          drive open-cold --state "$OUT/state.json" --label graceful || STATUS=1
        done ;;
      authors)
        if [[ -n ${PG_STALL_AFTER:-} ]]; then stall_pg_later; fi
        # shellcheck disable=SC2086
        drive authors "$AUTHORS_SIZES" --warmup "${AUTHORS_WARMUP:-5}" --duration "${AUTHORS_DURATION:-20}" ${AUTHORS_ARGS:-} || STATUS=1 ;;
      storm)
        # shellcheck disable=SC2086
        drive authors "$AUTHORS_SIZES" --warmup 0 --duration "${AUTHORS_DURATION:-45}" --reconnect true ${AUTHORS_ARGS:-} &
        local_drive=$!
        until grep -q "connections opened" "$OUT/generator.log" 2>/dev/null; do sleep 0.2; done
        sleep "${STORM_AFTER:-15}"
        log "storm: SIG${STORM_SIGNAL:-KILL} to the server (pid $SERVER_PID, VmHWM $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER_PID/status))"
        kill -"${STORM_SIGNAL:-KILL}" "$SERVER_PID" 2>/dev/null || true
        storm_deadline=$((SECONDS + 40))
        while kill -0 "$SERVER_PID" 2>/dev/null; do
          if ((SECONDS > storm_deadline)); then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
          sleep 0.1
        done
        wait "$SERVER_PID" 2>/dev/null || true
        log "storm: server gone; restarting on port $PORT"
        KEEP_PORT=$PORT start_server
        log "storm: server healthy again"
        wait "$local_drive" || STATUS=1
        log "storm: restarted server's peak resident memory (VmHWM) $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER_PID/status)" ;;
      max-throughput)
        drive max-throughput --editors "${EDITORS:-50}" --repeat "${MAX_THROUGHPUT_REPEAT:-3}" || STATUS=1 ;;
    esac
    stop_server
    drop_db
    check_server_log
  done

  log "=== summary (medians over repeats; every figure is also in $RESULTS)"
  cat "$OUT/meta.txt" >"$OUT/summary.txt"
  gen summarize "$RESULTS" | tee -a "$OUT/summary.txt"
  log "logs in $OUT"
  exit $STATUS
}

main "$@"
