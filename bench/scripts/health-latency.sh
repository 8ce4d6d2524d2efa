#!/bin/bash
# GET /actuator/health under load: starts the standalone jar given (fresh data directory under /tmp), lets it
# rest 20 s, warms up with wrk for 10 s, then measures 15 s with `wrk -t1 -c16 --latency` (closed loop) and
# prints requests/s and the latency percentiles. Needs wrk (Debian: apt-get install wrk) and a JDK 21+.
# Usage: bench/scripts/health-latency.sh path/to/laurel-standalone-exec.jar [name]
set -euo pipefail
JAR=$(realpath "$1"); NAME=${2:-run}; D=/tmp/laurel-health-$NAME
rm -rf "$D"; mkdir -p "$D"
source "$(dirname "$0")/../../.ci/find-jdk.sh"
cd "$D"
LAUREL_DATA_DIR=$D/data LAUREL_PORT=18480 LAUREL_STANDALONE_POSTGRES_PORT=18432 LAUREL_STANDALONE_KAFKA_PORT=18492 \
  LAUREL_STANDALONE_KAFKA_CONTROLLER_PORT=18493 nohup "$JAVA_HOME/bin/java" -Xmx1g -jar "$JAR" > "$D/out.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do grep -q "Laurel is running" "$D/out.log" && break; sleep 1; done
sleep 20
wrk -t1 -c16 -d10s --latency http://localhost:18480/actuator/health > /dev/null
wrk -t1 -c16 -d15s --latency http://localhost:18480/actuator/health > "$D/wrk.txt"
echo "== $NAME"; grep -E "Requests/sec|50%|90%|99%" "$D/wrk.txt"
