#!/bin/sh
# Export and PDF appendix of many real signers (docs/BENCHMARKS.md, "Signing"): the server in its own
# JVM with a small heap on a fresh database, N confirmed signatures inserted with SQL, then the CSV
# and JSON exports and the PDF with=signatures timed with curl.
# Usage: bench/signing/export.sh [signatures] [heap]
set -eu
cd "$(dirname "$0")/../.."
N=${1:-100000}
HEAP=${2:-256m}
mvn -q -o -Dskip.web=true compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB=convene_bench_export_$$
LOG=target/bench-export-server.log
PORT=$PORT DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB java -Xmx"$HEAP" -XX:+UseSerialGC \
  -cp "target/classes:$(cat target/bench-cp.txt)" org.convene.app.Main > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres' EXIT
URL=http://127.0.0.1:$PORT
until curl -sf "$URL/health" > /dev/null; do sleep 0.2; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)"); heap $HEAP"
CREATED=$(curl -sf -H 'Content-Type: application/json' -d '{"title":"Export","text":"We sign."}' "$URL/api/manifestos")
ID=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
ADMIN=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens"]["admin"])')
curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"One"}' "$URL/api/manifestos/$ID/versions" > /dev/null
curl -sf -X POST -H "Authorization: Bearer $ADMIN" "$URL/api/manifestos/$ID/versions/1/publish" > /dev/null
psql -q -h 127.0.0.1 -U postgres "$DB" -c "
  INSERT INTO signatures (manifesto_id, email_key, email, name, city, comment, country, display, language, version,
                          version_sha256, state, confirmed_at)
  SELECT '$ID', 's' || g || '@example.org', 's' || g || '@example.org', 'Signer Number ' || g, 'Marseille',
         CASE WHEN g % 7 = 0 THEN '=cmd|calc' ELSE 'For the rivers' END,
         (ARRAY['FR','SN','MA','DE','BR','IN','KE','US','CN','MX'])[1 + g % 10],
         (ARRAY['full','initials','hidden'])[1 + g % 3], 'en', 1,
         (SELECT sha256 FROM versions WHERE manifesto_id = '$ID' AND number = 1), 'confirmed', now()
    FROM generate_series(1, $N) g"
for what in export.csv export.json; do
  for i in 1 2 3; do
    curl -s -o target/bench-$what -w "$what run $i: %{http_code} %{size_download} bytes in %{time_total} s\n" \
      -H "Authorization: Bearer $ADMIN" "$URL/api/manifestos/$ID/signatures/$what"
  done
done
echo "rows in the CSV: $(($(wc -l < target/bench-export.csv) - 1))"
curl -s -o target/bench-appendix.pdf -w "pdf with=signatures: %{http_code} %{size_download} bytes in %{time_total} s\n" \
  "$URL/api/manifestos/$ID/versions/1/pdf?with=signatures"
echo "server heap after: $(jcmd $SERVER GC.heap_info 2>/dev/null | grep -E 'total|used' | head -3 | tr -s ' ' | tr '\n' ';')"
