#!/usr/bin/env bash
# Versions and history benchmark: open revision r of a 1,000,000-revision document, diff two
# versions of a 100-page text. Needs the local PostgreSQL (bin/ensure-postgres). Arguments are
# passed on: revisions (1000000), text length (300000), samples per point (7).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -Dskip.web=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "load average before: $(cut -d" " -f1-3 /proc/loadavg)"
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  org.convene.bench.VersionsBench "$@"
