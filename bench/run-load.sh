#!/usr/bin/env bash
# Load run over real HTTP, printed side by side with the in-process JMH figures.
#
#   bench/run-load.sh            # JMH (floor + in-process overhead), then wrk against a real node
#   SKIP_JMH=1 bench/run-load.sh # only the wrk part (in-process columns print as "-")
#
# Knobs (environment): DURATION (wrk per point, 15s), WARMUP (10s per endpoint), CONCURRENCY ("1 2 4 8"),
# ENDPOINTS ("embed-oip embed-json tiny-oip tiny-json"; "" for none), PAIRED (rounds of JMH ORT alone
# immediately followed by wrk on embed-oip, c = 1 and 2; off by default),
# PORT (18080), JMH_ARGS ("-wi 3 -w 2 -i 5 -r 2"), JFR=1 (record the node with Flight Recorder),
# NODE_OPTS (extra JVM flags for the node), OUT (result directory, default bench/target/load-<time>).
# Needs: a build (mvn -q install -DskipTests), wrk (apt-get install wrk), a JDK >= 21 (JAVA_HOME).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
CONCURRENCY=${CONCURRENCY:-"1 2 4 8"}
ENDPOINTS=${ENDPOINTS-"embed-oip embed-json tiny-oip tiny-json"}
PORT=${PORT:-18080}
JMH_ARGS=${JMH_ARGS:-"-wi 3 -w 2 -i 5 -r 2"}
OUT=${OUT:-bench/target/load-$(date +%Y%m%d-%H%M%S)}
BENCH_JAR=bench/target/infergate-bench.jar

die() { echo "run-load: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed: apt-get install -y wrk"
[ -x "$JAVA" ] || die "no java at $JAVA; set JAVA_HOME to a JDK >= 21"
ls host/target/infergate-host-*.jar >/dev/null 2>&1 || die "host not built: mvn -q install -DskipTests"
ls plugins/text-embedding/target/*.zip >/dev/null 2>&1 || die "text-embedding plugin not built: mvn -q install -DskipTests"
[ -f "$BENCH_JAR" ] || die "bench not built: mvn -q install -DskipTests"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

{
  echo "date:    $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "java:    $("$JAVA" -version 2>&1 | head -1)"
  echo "wrk:     $(wrk --version 2>&1 | head -1)"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before)"
} | tee "$OUT/env.txt"

# --- 1. In-process figures (JMH), with no node running -------------------------------------------------
JMH_CSV="$OUT/jmh.csv"
if [ -z "${SKIP_JMH:-}" ]; then
  echo "== JMH: EmbeddingBenchmark (batch 1, 8; threads 1, 2) and HostOverheadBenchmark"
  # shellcheck disable=SC2086
  "$JAVA" -jar "$BENCH_JAR" 'EmbeddingBenchmark|HostOverheadBenchmark' $JMH_ARGS \
      -rf csv -rff "$JMH_CSV" > "$OUT/jmh.log" 2>&1 || die "JMH failed, see $OUT/jmh.log"
  sed -n '/^Benchmark  /,$p' "$OUT/jmh.log"
fi

# --- 2. A real node: the example plugin and the tiny plugin --------------------------------------------
mkdir -p "$OUT/plugins"
cp plugins/text-embedding/target/*.zip "$OUT/plugins/"
"$JAVA" -cp "$BENCH_JAR" io.infergate.bench.tiny.TinyPlugin "$OUT/tiny" >/dev/null
cp "$OUT/tiny/plugins/tiny.zip" "$OUT/plugins/"
HOST_JAR=$(ls host/target/infergate-host-*.jar | head -1)
NODE_JVM=(--enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m)
[ -n "${JFR:-}" ] && NODE_JVM+=("-XX:StartFlightRecording=filename=$OUT/node.jfr,settings=profile")
# shellcheck disable=SC2206
NODE_JVM+=(${NODE_OPTS:-})
"$JAVA" "${NODE_JVM[@]}" -cp "$HOST_JAR:host/target/lib/*" io.infergate.host.cli.InfergateCommand serve \
    --set http.port="$PORT" --set plugins.dir="$OUT/plugins" --set plugins.work-dir="$OUT/work" \
    --set models.dirs="$ROOT/plugins/text-embedding/target/models,$OUT/tiny/models" > "$OUT/node.log" 2>&1 &
NODE_PID=$!
stop_node() { kill -TERM "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true; }
trap stop_node EXIT
for _ in $(seq 1 240); do
  grep -q "ready at" "$OUT/node.log" && break
  kill -0 "$NODE_PID" 2>/dev/null || die "node exited, see $OUT/node.log"
  sleep 0.5
done
grep -q "ready at" "$OUT/node.log" || die "node not ready after 120 s, see $OUT/node.log"
BASE="http://127.0.0.1:$PORT"
echo "== node ready at $BASE (pid $NODE_PID)"

# --- 3. wrk scripts: one fixed request per endpoint ----------------------------------------------------
SENTENCE=$("$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadRequests sentence)
lua() {   # lua <name> <path> <body>
  local body=${3//\\/\\\\}; body=${body//\"/\\\"}
  cat > "$OUT/$1.lua" <<LUA
wrk.method = "POST"
wrk.path = "$2"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/json"
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.mean, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
}
lua embed-oip /v2/models/text-embedding/infer "$("$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadRequests embed-oip)"
lua embed-json /v1/services/text-embedding "$("$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadRequests embed-json)"
lua tiny-oip /v2/models/tiny/infer "$("$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadRequests tiny-oip)"
lua tiny-json /v1/services/tiny "$("$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadRequests tiny-json)"
for e in $ENDPOINTS; do   # each must answer 200 before we time it
  path=$(sed -n 's/^wrk.path = "\(.*\)"/\1/p' "$OUT/$e.lua")
  body=$("$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadRequests "$e")
  code=$(curl -s -o "$OUT/$e.response" -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$BASE$path")
  [ "$code" = 200 ] || die "$e answered $code: $(head -c 300 "$OUT/$e.response")"
done

# --- 4. Load: per endpoint, warm up, then concurrency 1..N ---------------------------------------------
RESULTS="$OUT/wrk.tsv"
: > "$RESULTS"
for e in $ENDPOINTS; do
  wrk -t1 -c2 -d"$WARMUP" -s "$OUT/$e.lua" "$BASE" > /dev/null
  for c in $CONCURRENCY; do
    wrk -t1 -c"$c" -d"$DURATION" --latency -s "$OUT/$e.lua" "$BASE" > "$OUT/wrk-$e-c$c.txt"
    read -r _ n dur p50 p99 mean errs < <(grep '^RESULT' "$OUT/wrk-$e-c$c.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$e" "$c" "$n" "$dur" "$p50" "$p99" "$mean" "$errs" >> "$RESULTS"
    printf '  %-10s c=%-2s %8.1f req/s  p50 %8.1f us  p99 %8.1f us  errors %s\n' "$e" "$c" \
        "$(echo "$n $dur" | awk '{print $1/($2/1e6)}')" "$p50" "$p99" "$errs"
  done
done
# --- 4b. Paired rounds (PAIRED=<rounds>): ORT alone in JMH, then HTTP right after, at c = 1 and 2 ----------
# On a shared machine the load moves within minutes; pairs taken seconds apart compare like with like.
if [ -n "${PAIRED:-}" ]; then
  wrk -t1 -c2 -d"$WARMUP" -s "$OUT/embed-oip.lua" "$BASE" > /dev/null
  for round in $(seq 1 "$PAIRED"); do
    for c in 1 2; do
      "$JAVA" -jar "$BENCH_JAR" "EmbeddingBenchmark.ort_t$c\$" -p batch=1 -wi 1 -w 2 -i 3 -r 2 \
          -rf csv -rff "$OUT/paired-$round-c$c.csv" > "$OUT/paired-$round-c$c.log" 2>&1 || die "JMH failed"
      wrk -t1 -c"$c" -d10s --latency -s "$OUT/embed-oip.lua" "$BASE" > "$OUT/paired-$round-c$c.txt"
      ort=$(awk -F, 'NR==2 {print $5}' "$OUT/paired-$round-c$c.csv")
      read -r _ n dur p50 p99 _ _ < <(grep '^RESULT' "$OUT/paired-$round-c$c.txt")
      echo "$round $c $ort $n $dur $p50 $p99 $(cut -d' ' -f1 /proc/loadavg)" | awk '{ http = $4 / ($5 / 1e6);
        printf "paired round %d c=%d: ORT alone %.1f ops/s, HTTP embed-oip %.1f req/s (p50 %.2f ms, p99 %.2f ms), HTTP/ORT %.2f, load %s\n",
          $1, $2, $3, http, $6 / 1000, $7 / 1000, http / $3, $8 }' | tee -a "$OUT/paired.txt"
    done
  done
fi
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/env.txt"
stop_node
trap - EXIT

# --- 5. Side by side -----------------------------------------------------------------------------------
"$JAVA" -cp "$BENCH_JAR" io.infergate.bench.load.LoadReport "$RESULTS" "$JMH_CSV" | tee "$OUT/summary.txt"
echo "results in $OUT"
