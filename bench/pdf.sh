#!/bin/sh
# The PDF benchmark (docs/BENCHMARKS.md, "PDF editions"): a 20-page manifesto with 100,000
# streamed signers, 5 timed runs after a warm-up, in a heap capped at 256 MB.
# Usage: bench/pdf.sh [signers] [runs]
set -eu
cd "$(dirname "$0")/.."
mvn -q -Dskip.web=true test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
exec java -Xmx256m -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" \
    org.convene.bench.PdfBench "${1:-100000}" "${2:-5}"
