#!/bin/sh
# Side by side: the same live-count runs (live.sh) against an older build's server and this one's,
# alternating, several rounds, then the medians of each (docs/BENCHMARKS.md, "Signing").
# Usage: bench/signing/compare.sh OLD_CLASSES [rounds] [clients] [seconds] [modes...]
#   OLD_CLASSES  an older build's target/classes, e.g. from
#                git worktree add /tmp/convene-old COMMIT && (cd /tmp/convene-old && mvn -q -o -Dskip.web=true compile)
#   modes        idle (pages open, nothing signed), trickle (5 counted signatures a second, no wrk),
#                sign (wrk, requireEmail:false), email (wrk with email; the pages follow a trickle)
#   TRANSPORT=raw as in live.sh; CONNECTIONS=64 wrk's connections in the sign and email modes;
#   every run's output goes to target/compare/.
set -eu
cd "$(dirname "$0")/../.."
OLD=$1
ROUNDS=${2:-3}
CLIENTS=${3:-10000}
SECONDS_RUN=${4:-20}
shift $(( $# < 4 ? $# : 4 ))
MODES=${*:-idle trickle sign email}
mvn -q -o -Dskip.web=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
mkdir -p target/compare
round=1
while [ $round -le "$ROUNDS" ]; do
  for mode in $MODES; do
    for build in old new; do
      classes=target/classes
      [ $build = new ] || classes=$OLD
      case $mode in
        idle) env="TRICKLE=0"; connections=0 ;;
        trickle) env="TRICKLE=5"; connections=0 ;;
        sign) env="EMAIL=false"; connections=${CONNECTIONS:-64} ;;
        email) env="EMAIL=true"; connections=${CONNECTIONS:-64} ;;
      esac
      out=target/compare/$mode-$build-$round.txt
      env $env SERVER_CLASSES=$classes SKIP_BUILD=1 bench/signing/live.sh "$CLIENTS" "$SECONDS_RUN" $connections > "$out" 2>&1 || true
      echo "$mode $build round $round: $(grep -hE 'load average|Requests/sec|99%|CPU over|count messages|every page' "$out" | tr -s ' ' | tr '\n' ' ' | cut -c1-400)"
    done
  done
  round=$((round + 1))
done
python3 - target/compare $MODES <<'PY'
import glob, re, statistics, sys
folder, modes = sys.argv[1], sys.argv[2:]
UNITS = {"us": 0.001, "ms": 1, "s": 1000}
def num(pattern, text):
    m = re.search(pattern, text)
    return None if not m else float(m.group(1)) * (UNITS[m.group(2)] if m.lastindex > 1 else 1)
rows = []
for mode in modes:
    for build in ("old", "new"):
        runs = []
        for f in sorted(glob.glob(f"{folder}/{mode}-{build}-*.txt")):
            t = open(f).read()
            runs.append({
                "load": num(r"load average before: ([\d.]+)", t),
                "rate": num(r"Requests/sec:\s+([\d.]+)", t),
                "p50": num(r"50%\s+([\d.]+)(us|ms|s)", t), "p99": num(r"99%\s+([\d.]+)(us|ms|s)", t),
                "server": num(r"server (\d+)%", t), "listener": num(r"listener (\d+)%", t),
                "per_client": num(r"\(([\d.]+) per client\)", t),
                "lag99": num(r"p99 (\d+) ms, max", t), "lagmax": num(r"max (\d+) ms;", t),
                "wait99": num(r"includes it: p50 \d+ ms, p99 (\d+) ms", t), "waitmax": num(r"includes it: .*?max (\d+) ms \(", t)})
        def med(k):
            v = [r[k] for r in runs if r[k] is not None]
            return "-" if not v else f"{statistics.median(v):,.1f}"
        def each(k):
            return ", ".join("-" if r[k] is None else f"{r[k]:,.0f}" for r in runs)
        rows.append(f"| {mode} | {build} | {len(runs)} | {med('load')} | {med('rate')} ({each('rate')}) | {med('p50')} | "
                    f"{med('p99')} ({each('p99')}) | {med('server')} ({each('server')}) | {med('listener')} | "
                    f"{med('per_client')} | {med('lag99')} / {med('lagmax')} | {med('wait99')} / {med('waitmax')} |")
print("| mode | build | runs | load | signatures/s, median (runs) | p50 ms | p99 ms (runs) | server % of a core (runs) | listener % | counts per client | lag p99 / max ms | seen by all p99 / max ms |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
PY
