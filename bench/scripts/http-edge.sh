#!/bin/bash
# The HTTP edge under load from separate processes (issue 15's HTTP targets), against the standalone jar given:
#   1. cold: POST /v1/events (closed loop, wrk -t1 -c16) in three 20 s slices from the moment the jar says it runs;
#   2. warm (after that minute of load, and 30 s of load on each GET path): POST /v1/events,
#      GET /v1/leaderboards/all-time?limit=10 and GET /actuator/health, each 20 s closed loop with wrk -t1 -c16;
#   3. open loop (bench/scripts/OpenLoop.java, its own JVM, 3 s of warm-up first): POST /v1/events at 70% of the
#      warm POST rate, and GET /actuator/health at 1,000 requests/s, each 20 s, response times from the due time;
#   4. sustained: POST /v1/events at that 70% for 5 minutes (SUSTAIN_SECONDS) with the projections' lag read
#      every 15 s.
# Every line gives the CPU the platform JVM (HTTP, projections and the in-process Kafka broker), its PostgreSQL
# and the load generator used, apart. Events are of a type with a rule of 1 point, for 10,000 users, so every
# projection works while ingest is measured.
# Needs wrk (Debian: apt-get install wrk; installed here when missing and apt works) and a JDK 21+.
# Takes about 11 minutes. Usage: bench/scripts/http-edge.sh path/to/laurel-standalone-exec.jar [name]
set -euo pipefail
JAR=$(realpath "$1"); NAME=${2:-run}; D=/tmp/laurel-http-edge-$NAME
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../.ci/find-jdk.sh"
if ! command -v wrk > /dev/null; then
  (apt-get install -y -q wrk > /dev/null 2>&1 || sudo apt-get install -y -q wrk > /dev/null 2>&1) || { echo "wrk missing"; exit 1; }
fi
rm -rf "$D"; mkdir -p "$D"; cd "$D"
PORT=18580
LAUREL_DATA_DIR=$D/data LAUREL_PORT=$PORT LAUREL_STANDALONE_POSTGRES_PORT=18532 LAUREL_STANDALONE_KAFKA_PORT=18592 \
  LAUREL_STANDALONE_KAFKA_CONTROLLER_PORT=18593 nohup "$JAVA_HOME/bin/java" -Xmx2g -jar "$JAR" > "$D/out.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do grep -q "Laurel is running" "$D/out.log" && break; sleep 0.5; done
grep -q "Laurel is running" "$D/out.log" || { echo "the standalone did not start"; tail -30 "$D/out.log"; exit 1; }
KEY=$(cat "$D/data/admin-key")
URL=http://localhost:$PORT
curl -sS --fail-with-body -o /dev/null -X POST "$URL/v1/admin/event-types" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"name":"bench_purchase","description":"bench","event_data_schema":{"type":"object","required":["amount","currency"],"properties":{"amount":{"type":"number"},"currency":{"type":"string"},"sku":{"type":"string"}}}}'
curl -sS --fail-with-body -o /dev/null -X POST "$URL/v1/admin/rules" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"name":"a point a purchase","event_type":"bench_purchase","points":1}'

cat > post.lua <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/v1/events", nil, '{"event_type":"bench_purchase","user_id":"u-' .. (n % 10000)
    .. '","event_data":{"amount":8.07,"currency":"CHF","sku":"sku-7"}}')
end
EOF
cat > get.lua <<EOF
wrk.headers["Authorization"] = "Bearer $KEY"
EOF

# CPU seconds (user + system) of a process and its children, from /proc
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL: the postmaster (started with the data directory) and its backends
pg_ticks() {
  local t=0 m
  for m in $(pgrep -f "bin/postgres -D $D/data" || true); do
    for p in $m $(pgrep -P "$m" || true); do t=$((t + $(ticks "$p"))); done
  done
  echo $t
}
HZ=$(getconf CLK_TCK)
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
# run LABEL SECONDS COMMAND...: the command's output, then the CPU split over its run
run() {
  local label=$1 secs=$2; shift 2
  local j0 p0 t0 j1 p1 t1
  j0=$(ticks $PID); p0=$(pg_ticks); t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$D/time.txt" "$@" > "$D/out.txt" 2>&1
  j1=$(ticks $PID); p1=$(pg_ticks); t1=$(date +%s.%N)
  local gen wall
  gen=$(awk '{print $1 + $2}' "$D/time.txt" | tail -1)
  wall=$(calc "$t1 - $t0")
  if grep -q "Requests/sec" "$D/out.txt"; then
    printf "%-34s %9s req/s  p50 %8s  p99 %8s  non-2xx %s\n" "$label" "$(awk '/Requests\/sec/{print $2}' "$D/out.txt")" \
      "$(awk '$1=="50%"{print $2}' "$D/out.txt")" "$(awk '$1=="99%"{print $2}' "$D/out.txt")" \
      "$(awk '/Non-2xx/{print $5}' "$D/out.txt" | grep . || echo 0)"
  else
    echo "$label: $(tail -1 "$D/out.txt")"
  fi
  printf "%-34s CPU over %.1f s: platform JVM %.2f cores, PostgreSQL %.2f cores, load generator %.2f cores\n" "" "$wall" \
    "$(calc "($j1 - $j0) / $HZ / $wall")" "$(calc "($p1 - $p0) / $HZ / $wall")" "$(calc "$gen / $wall")"
}

echo "== http-edge $NAME ($(nproc) cores; $(date -u +%FT%TZ))"
for i in 1 2 3; do
  run "cold POST /v1/events ($(( (i - 1) * 20 ))-$(( i * 20 )) s)" 20 wrk -t1 -c16 -d20s --latency -s post.lua "$URL"
done
# each path warmed (the JIT of a 2-core machine takes a minute or more), not measured
wrk -t1 -c16 -d30s -s get.lua "$URL/v1/leaderboards/all-time?limit=10" > /dev/null
wrk -t1 -c16 -d30s "$URL/actuator/health" > /dev/null
run "warm POST /v1/events" 20 wrk -t1 -c16 -d20s --latency -s post.lua "$URL"
POST_RATE=$(awk '/Requests\/sec/{print $2}' "$D/out.txt")
run "warm GET /v1/leaderboards/all-time" 20 wrk -t1 -c16 -d20s --latency -s get.lua "$URL/v1/leaderboards/all-time?limit=10"
GET_RATE=$(awk '/Requests\/sec/{print $2}' "$D/out.txt")
run "warm GET /actuator/health" 20 wrk -t1 -c16 -d20s --latency "$URL/actuator/health"
printf "POST / GET leaderboard = %.3f\n" "$(calc "$POST_RATE / $GET_RATE")"
OPEN=$(calc "$POST_RATE * 0.7")
CLIENT=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m "$HERE/OpenLoop.java")
run "open loop POST at 70%" 20 "${CLIENT[@]}" "$URL/v1/events" "$OPEN" 20 POST \
  '{"event_type":"bench_purchase","user_id":"o-%d","event_data":{"amount":8.07,"currency":"CHF","sku":"sku-7"}}' "$KEY"
run "open loop GET /actuator/health" 20 "${CLIENT[@]}" "$URL/actuator/health" 1000 20 GET

# 4. sustained: single events at a fixed rate (default 70% of the warm POST capacity; SUSTAIN_RATE to choose) for
#    SUSTAIN_SECONDS (default 300; 0 skips it), with every projection's lag (GET /v1/ops/projections, summed) read
#    every 15 s. The rate is sustained when the lag stays bounded instead of growing.
SUSTAIN_SECONDS=${SUSTAIN_SECONDS:-300}
if [ "$SUSTAIN_SECONDS" -gt 0 ]; then
  RATE=${SUSTAIN_RATE:-$OPEN}
  # each projection's "lag" comes just before its "status" (its partitions' lags after it)
  lag() { curl -s -H "Authorization: Bearer $KEY" "$URL/v1/ops/projections" \
    | grep -o '"lag":[0-9]*,"status"' | grep -o '[0-9]*' | awk '{s += $1} END {print s + 0}' || echo "?"; }
  j0=$(ticks $PID); p0=$(pg_ticks); t0=$(date +%s.%N)
  "${CLIENT[@]}" "$URL/v1/events" "$RATE" "$SUSTAIN_SECONDS" POST \
    '{"event_type":"bench_purchase","user_id":"s-%d","event_data":{"amount":8.07,"currency":"CHF","sku":"sku-7"}}' \
    "$KEY" 0 > "$D/sustain.txt" 2>&1 &
  LOAD=$!
  LAGS=""
  for _ in $(seq 1 $((SUSTAIN_SECONDS / 15))); do sleep 15; LAGS="$LAGS $(lag)"; done
  wait $LOAD || true
  j1=$(ticks $PID); p1=$(pg_ticks); t1=$(date +%s.%N); wall=$(calc "$t1 - $t0")
  echo "sustained at $(calc "$RATE") events/s for $SUSTAIN_SECONDS s: $(tail -1 "$D/sustain.txt")"
  echo "  summed projection lag every 15 s:$LAGS; afterwards $(sleep 5; lag)"
  printf "%-34s CPU over %.1f s: platform JVM %.2f cores, PostgreSQL %.2f cores\n" "" "$wall" \
    "$(calc "($j1 - $j0) / $HZ / $wall")" "$(calc "($p1 - $p0) / $HZ / $wall")"
fi
