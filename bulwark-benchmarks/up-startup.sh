#!/usr/bin/env bash
# Start-up of `bulwark up` to the first fully correct DNS answer (all six dynamodb load balancers),
# from an empty data directory, and its resident memory 30 s later. Repeats N times (default 3).
# Usage: bulwark-benchmarks/up-startup.sh [N]     (build first: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
want="127.0.0.11 127.0.0.12 127.0.0.13 127.0.0.14 127.0.0.15 127.0.0.16"
for i in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  java -jar bulwark-server/target/bulwark.jar up --data-dir "$data" </dev/null >"$data.log" 2>&1 &
  pid=$!
  until [ "$(dig @127.0.0.1 -p 5300 dynamodb.us-east-1.bulwark.test A +short +time=1 +tries=1 2>/dev/null | sort | xargs)" = "$want" ]; do
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 30
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  echo "run $i: first correct answer after $ms ms; RSS at rest $rss MiB"
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$data" "$data.log"
done
