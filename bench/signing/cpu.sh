# Sourced by run.sh and live.sh: the CPU time the server and the database spend per signature, which
# (unlike signatures per second) means something on a busy shared machine too; and the manifesto
# both sign.
# cpu_snapshot FILE: "pid ticks user system" of every process (ticks = utime + stime, in clock ticks).
cpu_snapshot() {
  python3 - "$1" <<'PY'
import os, sys
with open(sys.argv[1], "w") as out:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            out.write(f"{pid} {int(fields[11]) + int(fields[12])} {fields[11]} {fields[12]}\n")
        except (OSError, IndexError):
            pass
PY
}
# cpu_per_signature BEFORE AFTER SERVER_PID DB SIGNATURES: prints the CPU microseconds per signature
# of the server and of the database backends connected to DB now, between the two snapshots.
cpu_per_signature() {
  pg=$(psql -At -h 127.0.0.1 -U postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$4' AND pid <> pg_backend_pid()" postgres | tr '\n' ' ')
  awk -v server="$3" -v pg=" $pg" -v n="$5" -v hz="$(getconf CLK_TCK)" '
    FNR == NR { before[$1] = $2; next }
    { d = $2 - ($1 in before ? before[$1] : 0)
      if ($1 == server) s += d
      else if (index(pg, " " $1 " ")) p += d }
    END { if (n > 0) printf "CPU per signature: server %.0f us, PostgreSQL backends %.0f us (%d signatures)\n",
                            s / hz * 1e6 / n, p / hz * 1e6 / n, n }' "$1" "$2"
}
# cpu_shares BEFORE AFTER SECONDS NAME=PID...: each named process's CPU over the window, in % of one
# core (a process may use up to 200 % of this machine's two cores), and how much of it the kernel's
# (system calls: for the server, mostly the sockets' writes and reads).
cpu_shares() {
  before=$1 after=$2 window=$3
  shift 3
  awk -v hz="$(getconf CLK_TCK)" -v window="$window" -v named="$*" '
    FNR == NR { before[$1] = $2; sys0[$1] = $4; next }
    { after[$1] = $2; sys1[$1] = $4 }
    END { n = split(named, pairs, " "); line = "CPU over the run (% of one core):"
          for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); pid = kv[2]
            if (pid in after) line = line sprintf(" %s %.0f%% (system %.0f%%)", kv[1],
              (after[pid] - before[pid]) / hz / window * 100, (sys1[pid] - sys0[pid]) / hz / window * 100) }
          print line }' "$before" "$after"
}
# machine_busy BEFORE AFTER: the share of the machine's cores busy between two /proc/stat snapshots.
machine_busy() {
  awk 'FNR == NR { for (i = 2; i <= NF; i++) b += $i; bi = $5 + $6; next }
       { for (i = 2; i <= NF; i++) a += $i; ai = $5 + $6 }
       END { printf "machine busy: %.0f%% of its %d cores (all processes, everyone)\n", (1 - (ai - bi) / (a - b)) * 100, '"$(nproc)"' }' "$1" "$2"
}

# manifesto REQUIRE_EMAIL [TITLE]: a new manifesto on $URL, published, signing without rate limits;
# sets ID and ADMIN.
manifesto() {
  CREATED=$(curl -sSf -H 'Content-Type: application/json' -d "{\"title\":\"${2:-Bench}\",\"text\":\"We sign.\"}" "$URL/api/manifestos")
  ID=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  ADMIN=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"]["admin"])')
  curl -sSf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"One"}' "$URL/api/manifestos/$ID/versions" > /dev/null
  curl -sSf -X POST -H "Authorization: Bearer $ADMIN" "$URL/api/manifestos/$ID/versions/1/publish" > /dev/null
  curl -sSf -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"requireEmail\":$1,\"rateLimit\":{\"perIpBurst\":0,\"perIpPerHour\":0}}" "$URL/api/manifestos/$ID/signing" > /dev/null
}

# wait_healthy URL PID LOG: until the server answers /health; if its process ends first, its log's
# last lines and a failure (an older build's classes missing, a port taken), not a wait for ever.
wait_healthy() {
  until curl -sf "$1/health" > /dev/null; do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "the server exited before answering /health; the end of its log ($3):" >&2
      tail -5 "$3" >&2
      exit 1
    fi
    sleep 0.2
  done
}
