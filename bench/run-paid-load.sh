#!/usr/bin/env bash
# Paid vs unpaid calls over real HTTP, on the same model, the same load generator and the same machine,
# in paired rounds taken back to back.
#
#   bench/run-paid-load.sh
#
# Two nodes run side by side with the text-embedding plugin: one with payments on (a SQLite ledger seeded
# with funded channels before it starts, as the chain watcher would record them; no chain), one without.
# The same Java load generator (load.PaidLoad: HTTP/1.1, one connection and one channel per client, cumulative
# vouchers signed in sequence) drives both. Each round runs unpaid and paid back to back at every
# concurrency (the order alternates between rounds so drift does not favour one side) and prints paid/unpaid.
#
# The paid node signs and journals an inference receipt per call (receipts on, the default). BASELINE picks the
# node it is compared with: "unpaid" (default: payments off) or "paid-no-receipts" (payments on, receipts.enabled
# =false, its own seeded ledger): the latter isolates what receipts cost over HTTP.
#
# Knobs (environment): BASELINE (unpaid), ROUNDS (3), CONCURRENCY ("1 2"), DURATION (seconds per point, 10), WARMUP (s, 8),
# ENDPOINT (embed-oip | embed-json), PORT (18090; the unpaid node gets PORT+1), JFR=1 (record the paid
# node), NODE_OPTS (extra JVM flags for both nodes), OUT (default bench/target/paid-<time>).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 2"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-8}
ENDPOINT=${ENDPOINT:-embed-oip}
BASELINE=${BASELINE:-unpaid}
case "$BASELINE" in unpaid|paid-no-receipts) ;; *) echo "BASELINE must be unpaid or paid-no-receipts" >&2; exit 2 ;; esac
PORT=${PORT:-18090}
OUT=${OUT:-bench/target/paid-$(date +%Y%m%d-%H%M%S)}
BENCH_JAR=bench/target/infergate-bench.jar

die() { echo "run-paid-load: $*" >&2; exit 1; }
[ -x "$JAVA" ] || die "no java at $JAVA; set JAVA_HOME to a JDK >= 21"
ls host/target/infergate-host-*.jar >/dev/null 2>&1 || die "host not built: mvn -q package -DskipTests -pl bench -am"
ls plugins/text-embedding/target/*.zip >/dev/null 2>&1 || die "text-embedding plugin not built"
[ -f "$BENCH_JAR" ] || die "bench not built: mvn -q package -DskipTests -pl bench -am"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
BJ=("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR")

{
  echo "date:    $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "java:    $("$JAVA" -version 2>&1 | head -1)"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before)"
} | tee "$OUT/env.txt"

# --- the ledger: funded channels, one per client ---------------------------------------------------------
MAXC=$(echo $CONCURRENCY | tr ' ' '\n' | sort -n | tail -1)
LEDGER="$OUT/ledger.sqlite"
"${BJ[@]}" io.infergate.bench.payments.BenchChannels seed "$LEDGER" "$MAXC"
mapfile -t PAY_SETTINGS < <("${BJ[@]}" io.infergate.bench.payments.BenchChannels settings "$LEDGER" receipts)
INFERGATE_RECEIPT_SIGNER_KEY=$("${BJ[@]}" io.infergate.bench.payments.BenchChannels receipt-key)
export INFERGATE_RECEIPT_SIGNER_KEY
BASE_SETS=()
if [ "$BASELINE" = paid-no-receipts ]; then
  "${BJ[@]}" io.infergate.bench.payments.BenchChannels seed "$OUT/ledger-base.sqlite" "$MAXC"
  mapfile -t BASE_SETTINGS < <("${BJ[@]}" io.infergate.bench.payments.BenchChannels settings "$OUT/ledger-base.sqlite" no-receipts)
  for s in "${BASE_SETTINGS[@]}"; do BASE_SETS+=(--set "$s"); done
fi

# --- two nodes: paid and unpaid ---------------------------------------------------------------------------
mkdir -p "$OUT/plugins"
cp plugins/text-embedding/target/*.zip "$OUT/plugins/"
HOST_JAR=$(ls host/target/infergate-host-*.jar | head -1)
PIDS=()
stop_nodes() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done; }
trap stop_nodes EXIT
start_node() {   # start_node <name> <port> [--set k=v ...]
  local name=$1 port=$2; shift 2
  local jvm=(--enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m)
  [ -n "${JFR:-}" ] && [ "$name" = paid ] && jvm+=("-XX:StartFlightRecording=filename=$OUT/paid-node.jfr,settings=profile")
  # shellcheck disable=SC2206
  jvm+=(${NODE_OPTS:-})
  "$JAVA" "${jvm[@]}" -cp "$HOST_JAR:host/target/lib/*" io.infergate.host.cli.InfergateCommand serve \
      --set http.port="$port" --set plugins.dir="$OUT/plugins" --set plugins.work-dir="$OUT/work-$name" \
      --set models.dirs="$ROOT/plugins/text-embedding/target/models" "$@" > "$OUT/node-$name.log" 2>&1 &
  PIDS+=($!)
}
SETS=()
for s in "${PAY_SETTINGS[@]}"; do SETS+=(--set "$s"); done
start_node paid "$PORT" "${SETS[@]}"
start_node base "$((PORT + 1))" "${BASE_SETS[@]}"
for name in paid base; do
  for _ in $(seq 1 240); do grep -q "ready at" "$OUT/node-$name.log" && break; sleep 0.5; done
  grep -q "ready at" "$OUT/node-$name.log" || die "$name node not ready, see $OUT/node-$name.log"
done

case "$ENDPOINT" in
  embed-oip) PATH_=/v2/models/text-embedding/infer ;;
  embed-json) PATH_=/v1/services/text-embedding ;;
  *) die "ENDPOINT must be embed-oip or embed-json" ;;
esac
"${BJ[@]}" io.infergate.bench.load.LoadRequests "$ENDPOINT" > "$OUT/body.json"
PAID_URL="http://127.0.0.1:$PORT$PATH_"
UNPAID_URL="http://127.0.0.1:$((PORT + 1))$PATH_"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" "$UNPAID_URL")
want=200; [ "$BASELINE" = paid-no-receipts ] && want=402
[ "$code" = "$want" ] || die "$BASELINE node answered $code, expected $want"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" "$PAID_URL")
[ "$code" = 402 ] || die "paid node answered $code without payment, expected 402"
echo "== nodes ready: paid (receipts) $PAID_URL, $BASELINE $UNPAID_URL"

load() {   # load <paid|base> <clients> <duration> <warmup>; prints the RESULT line with the side's name as mode
  local url=$UNPAID_URL mode=unpaid
  [ "$BASELINE" = paid-no-receipts ] && mode=paid
  [ "$1" = paid ] && url=$PAID_URL && mode=paid
  "${BJ[@]}" -Xmx256m -XX:TieredStopAtLevel=1 io.infergate.bench.load.PaidLoad url="$url" body="$OUT/body.json" \
      mode="$mode" clients="$2" duration="$3" warmup="$4" | grep '^RESULT' | awk -v side="$1" '{ $2 = side; print }'
}
load base 2 "$WARMUP" 0 > /dev/null
load paid 2 "$WARMUP" 0 > /dev/null

RESULTS="$OUT/paid.tsv"
: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  order="base paid"; [ $((round % 2)) = 0 ] && order="paid base"
  for c in $CONCURRENCY; do
    for mode in $order; do
      read -r _ m cl n secs p50 p99 mean errs busy < <(load "$mode" "$c" "$DURATION" 2)
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$m" "$cl" "$n" "$secs" "$p50" "$p99" "$mean" \
          "$errs" "$busy" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
    done
  done
done
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/env.txt"
stop_nodes
trap - EXIT

# --- side by side: paid (receipts) / baseline per round and concurrency ------------------------------------
awk -F'\t' -v base="$BASELINE" '
  { rps = $4 / $5; key = $1 " " $3; R[key, $2] = rps; P50[key, $2] = $6; P99[key, $2] = $7; E[key, $2] = $9 "/" $10; L[key] = $11; if (!(key in seen)) { seen[key] = 1; order[++nk] = key } }
  END {
    print "| round | c | " base " req/s | p50 / p99 ms | paid+receipts req/s | p50 / p99 ms | paid / " base " | target | errors/busy (paid) | load |"
    print "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"
    for (i = 1; i <= nk; i++) { k = order[i]; split(k, kk, " ")
      ratio = R[k, "paid"] / R[k, "base"]
      printf "| %s | %s | %.1f | %.2f / %.2f | %.1f | %.2f / %.2f | %.2f | 0.85: %s | %s | %s |\n", kk[1], kk[2],
        R[k, "base"], P50[k, "base"] / 1000, P99[k, "base"] / 1000, R[k, "paid"], P50[k, "paid"] / 1000,
        P99[k, "paid"] / 1000, ratio, (ratio >= 0.85 ? "met" : "missed"), E[k, "paid"], L[k] }
  }' "$RESULTS" | tee "$OUT/summary.md"
echo "results in $OUT"
