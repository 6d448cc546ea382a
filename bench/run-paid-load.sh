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
# PEER=1 adds, in the same rounds, the peer a user might pick instead (bench/peer/x402-peer-server.mjs): the
# npm x402 reference server (@x402/express 2.27.0, batch-settlement server scheme and an in-process reference
# facilitator from @x402/evm 2.27.0) in front of the same model file through onnxruntime-node. Its channels are
# real: payments.PeerChain starts anvil with Infergate's contracts at the canonical x402 addresses and deposits
# one channel per client on chain; the load generator pays the peer with the same loop (offer=server: it echoes
# the peer's own offer). The peer also runs unpaid (PEER_UNPAID=0 to skip), to separate its payment cost from its
# inference cost. With PEER=1 the endpoint is the JSON route, the only one the peer serves.
#
# The paid node signs and journals an inference receipt per call (receipts on, the default). BASELINE picks what
# the node on PORT+1 (the "unpaid" column) is: "unpaid" (default: payments off), "paid-no-receipts" (payments
# on, receipts.enabled=false, its own seeded ledger): the latter isolates what receipts cost over HTTP, or "paid"
# (the same as the paid node, its own seeded ledger), for A/B runs of one setting or JVM flag: BASELINE_SETS (extra
# settings for that node only, e.g. "--set payments.ledger-fsync=false") and BASELINE_NODE_OPTS (JVM flags for it
# only) make the difference; the ratio column is then paid over baseline.
#
# Each point also records CPU per successful call: the driven node's (utime + stime from /proc/<pid>/stat over the
# whole point, loader warmup included, divided by every 200 the loader got in it) and the loader's own (process CPU
# in the measured window per measured request). On a CPU-bound box, paid over unpaid node CPU per call is the
# cost of paying, whatever the throughput ratio says.
#
# Knobs (environment): BASELINE (unpaid; BASELINE_SETS, BASELINE_NODE_OPTS), ROUNDS (3), CONCURRENCY ("1 2"), DURATION (seconds per point, 10),
# WARMUP (s of load per mode before the rounds, 30: the nodes' paid path needs thousands of calls to reach C2;
# after it, each JVM node is loaded 10 s at a time until its JIT compiler threads used less than JIT_QUIET percent
# of one core (2) in the last 10 s, for at most WARMUP_MAX seconds in all (600): C2 compiling the paid path's larger
# code for minutes otherwise counts as the cost of paying), THREADS=1 (write each node's CPU per call by thread to
# $OUT/threads.txt),
# POINT_WARMUP (s of unmeasured load at the start of each point, 3),
# ENDPOINT (embed-oip | embed-json; embed-json when PEER=1), PORT (18090; the unpaid node gets PORT+1, the
# paid peer PORT+2, the unpaid peer PORT+3), PEER (0), PEER_UNPAID (1), PEER_ORT_THREADS (the peer's ORT
# intra-op threads, 1 as the host's; onnxruntime-node runs inference on the JS thread), PEER_STORAGE (memory:
# the reference server's default, channel state lost on restart | file: its FileChannelStorage under
# $OUT/peer-channels, JSON files renamed into place, no fsync), JFR=1 (record the paid node),
# PRESIGN (0: each paying client signs its next N vouchers at once after its first answer, in the point's warmup,
# so no consumer signing shares the cores in the measured window; size N above the calls a client makes in a
# point, e.g. 6000 for 15 s; the loader heap grows to LOADER_HEAP, 256m), NODE_OPTS (extra JVM flags for both nodes), PAID_SETS (extra settings for the paid node, e.g.
# "--set payments.ledger-fsync=false"), OUT (default bench/target/paid-<time>).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-"1 2"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-30}
POINT_WARMUP=${POINT_WARMUP:-3}
JIT_QUIET=${JIT_QUIET:-2}
WARMUP_MAX=${WARMUP_MAX:-600}
PEER=${PEER:-0}
PEER_UNPAID=${PEER_UNPAID:-1}
PEER_ORT_THREADS=${PEER_ORT_THREADS:-1}
PEER_STORAGE=${PEER_STORAGE:-memory}
BASELINE=${BASELINE:-unpaid}
PRESIGN=${PRESIGN:-0}
[ "$PRESIGN" -gt 0 ] && LOADER_HEAP=${LOADER_HEAP:-256m}
case "$BASELINE" in unpaid|paid-no-receipts|paid) ;; *) echo "BASELINE must be unpaid, paid-no-receipts or paid" >&2; exit 2 ;; esac
if [ "$PEER" = 1 ] && [ "$BASELINE" != unpaid ]; then echo "PEER=1 compares with the unpaid node: leave BASELINE unset" >&2; exit 2; fi
if [ "$PEER" = 1 ]; then ENDPOINT=${ENDPOINT:-embed-json}; else ENDPOINT=${ENDPOINT:-embed-oip}; fi
PORT=${PORT:-18090}
OUT=${OUT:-bench/target/paid-$(date +%Y%m%d-%H%M%S)}
BENCH_JAR=bench/target/infergate-bench.jar

die() { echo "run-paid-load: $*" >&2; exit 1; }
[ -x "$JAVA" ] || die "no java at $JAVA; set JAVA_HOME to a JDK >= 21"
ls host/target/infergate-host-*.jar >/dev/null 2>&1 || die "host not built: mvn -q package -DskipTests -pl bench -am"
ls plugins/text-embedding/target/*.zip >/dev/null 2>&1 || die "text-embedding plugin not built"
[ -f "$BENCH_JAR" ] || die "bench not built: mvn -q package -DskipTests -pl bench -am"
TOKENIZER=plugins/text-embedding/target/generated-resources/tokenizer/io/infergate/plugins/textembedding/all-minilm-l6-v2-q-tokenizer.json
MODEL=plugins/text-embedding/target/models/all-minilm-l6-v2-q.onnx
if [ "$PEER" = 1 ]; then
  [ "$ENDPOINT" = embed-json ] || die "PEER=1 compares the JSON route (/v1/services/text-embedding), the only one the peer serves: unset ENDPOINT"
  command -v node >/dev/null || die "PEER=1 needs Node.js 20+ (the peer is a Node server)"
  [ -d tools/node_modules/onnxruntime-node ] && [ -d tools/node_modules/@x402/express ] \
      || die "PEER=1 needs the npm toolchain: npm ci --prefix tools"
  [ -f "$TOKENIZER" ] && [ -f "$MODEL" ] || die "PEER=1 needs $MODEL and $TOKENIZER: build the text-embedding plugin"
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
BJ=("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR")

{
  echo "date:    $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "java:    $("$JAVA" -version 2>&1 | head -1)"
  [ "$PEER" = 1 ] && echo "peer:    channel state $PEER_STORAGE, ORT intra-op threads $PEER_ORT_THREADS"
  [ "$PEER" = 1 ] && echo "node:    $(node --version), onnxruntime-node $(node -p "require('./tools/node_modules/onnxruntime-node/package.json').version"), @x402/express $(node -p "require('./tools/node_modules/@x402/express/package.json').version")"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before)"
  echo "loader:  presign $PRESIGN (0: vouchers signed in the window); paid node extra settings: ${PAID_SETS:-none}"
} | tee "$OUT/env.txt"

# --- the ledger: funded channels, one per client ---------------------------------------------------------
# at least 2: the initial warmup runs 2 clients, and a client without a funded channel fails at once
MAXC=$(echo 2 $CONCURRENCY | tr ' ' '\n' | sort -n | tail -1)
LEDGER="$OUT/ledger.sqlite"
"${BJ[@]}" io.infergate.bench.payments.BenchChannels seed "$LEDGER" "$MAXC"
mapfile -t PAY_SETTINGS < <("${BJ[@]}" io.infergate.bench.payments.BenchChannels settings "$LEDGER" receipts)
INFERGATE_RECEIPT_SIGNER_KEY=$("${BJ[@]}" io.infergate.bench.payments.BenchChannels receipt-key)
export INFERGATE_RECEIPT_SIGNER_KEY
BASE_SETS=()
if [ "$BASELINE" != unpaid ]; then
  "${BJ[@]}" io.infergate.bench.payments.BenchChannels seed "$OUT/ledger-base.sqlite" "$MAXC"
  mapfile -t BASE_SETTINGS < <("${BJ[@]}" io.infergate.bench.payments.BenchChannels settings "$OUT/ledger-base.sqlite" \
      "$([ "$BASELINE" = paid ] && echo receipts || echo no-receipts)")
  for s in "${BASE_SETTINGS[@]}"; do BASE_SETS+=(--set "$s"); done
  # shellcheck disable=SC2206
  BASE_SETS+=(${BASELINE_SETS:-})
fi

# --- two nodes: paid and unpaid ---------------------------------------------------------------------------
mkdir -p "$OUT/plugins"
cp plugins/text-embedding/target/*.zip "$OUT/plugins/"
HOST_JAR=$(ls host/target/infergate-host-*.jar | head -1)
PIDS=()
declare -A NODE_PID=()   # mode name -> the process it drives (paid, unpaid, peer-paid, peer-unpaid)
stop_nodes() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done; }
trap stop_nodes EXIT
start_node() {   # start_node <name> <port> [--set k=v ...]
  local name=$1 port=$2; shift 2
  local jvm=(--enable-native-access=ALL-UNNAMED -Xms512m -Xmx512m)
  [ -n "${JFR:-}" ] && [ "$name" = paid ] && jvm+=("-XX:StartFlightRecording=filename=$OUT/paid-node.jfr,settings=profile")
  # shellcheck disable=SC2206
  jvm+=(${NODE_OPTS:-})
  if [ "$name" = unpaid ]; then
    # shellcheck disable=SC2206
    jvm+=(${BASELINE_NODE_OPTS:-})
  fi
  "$JAVA" "${jvm[@]}" -cp "$HOST_JAR:host/target/lib/*" io.infergate.host.cli.InfergateCommand serve \
      --set http.port="$port" --set plugins.dir="$OUT/plugins" --set plugins.work-dir="$OUT/work-$name" \
      --set models.dirs="$ROOT/plugins/text-embedding/target/models" "$@" > "$OUT/node-$name.log" 2>&1 &
  PIDS+=($!)
  NODE_PID[$name]=$!
}
SETS=()
for s in "${PAY_SETTINGS[@]}"; do SETS+=(--set "$s"); done
# shellcheck disable=SC2206
PAID_EXTRA=(${PAID_SETS:-})
start_node paid "$PORT" "${SETS[@]}" "${PAID_EXTRA[@]}"
start_node unpaid "$((PORT + 1))" "${BASE_SETS[@]}"
NAMES="paid unpaid"
if [ "$PEER" = 1 ]; then
  # the peer's chain: anvil + contracts + one channel per client, deposited on chain (stays up until stopped)
  "${BJ[@]}" io.infergate.bench.payments.PeerChain "$OUT/peer-chain.json" "$MAXC" > "$OUT/peer-chain.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do grep -q "peer chain ready" "$OUT/peer-chain.log" && break; kill -0 "${PIDS[-1]}" 2>/dev/null || break; sleep 0.5; done
  grep -q "peer chain ready" "$OUT/peer-chain.log" || die "the peer's dev chain did not start, see $OUT/peer-chain.log"
  start_peer() {   # start_peer <name> <port> <args...>
    local name=$1 port=$2; shift 2
    node bench/peer/x402-peer-server.mjs --port "$port" --model "$MODEL" --tokenizer "$TOKENIZER" \
        --threads "$PEER_ORT_THREADS" "$@" \
        > "$OUT/node-$name.log" 2>&1 &
    PIDS+=($!)
    NODE_PID[$name]=$!
  }
  case "$PEER_STORAGE" in
    memory) STORAGE_ARGS=() ;;
    file) STORAGE_ARGS=(--storage "$OUT/peer-channels") ;;
    *) die "PEER_STORAGE must be memory or file" ;;
  esac
  start_peer peer-paid "$((PORT + 2))" --chain "$OUT/peer-chain.json" "${STORAGE_ARGS[@]}"
  NAMES="$NAMES peer-paid"
  if [ "$PEER_UNPAID" = 1 ]; then start_peer peer-unpaid "$((PORT + 3))" --unpaid; NAMES="$NAMES peer-unpaid"; fi
fi
for name in $NAMES; do
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
want=200; [ "$BASELINE" != unpaid ] && want=402
[ "$code" = "$want" ] || die "$BASELINE node answered $code, expected $want"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" "$PAID_URL")
[ "$code" = 402 ] || die "paid node answered $code without payment, expected 402"
echo "== nodes ready: paid (receipts on unless PAID_SETS turns them off; PAID_SETS: ${PAID_SETS:-none}) $PAID_URL, $BASELINE $UNPAID_URL"
MODES="unpaid paid"
if [ "$PEER" = 1 ]; then
  PEER_PAID_URL="http://127.0.0.1:$((PORT + 2))$PATH_"
  PEER_UNPAID_URL="http://127.0.0.1:$((PORT + 3))$PATH_"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" "$PEER_PAID_URL")
  [ "$code" = 402 ] || die "paid peer answered $code without payment, expected 402"
  MODES="$MODES peer-paid"
  # Same model, same output? The peer's vector against Infergate's for the bench sentence.
  curl -s -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" "$UNPAID_URL" > "$OUT/embedding-infergate.json"
  if [ "$PEER_UNPAID" = 1 ]; then
    MODES="$MODES peer-unpaid"
    curl -s -H 'Content-Type: application/json' --data-binary @"$OUT/body.json" "$PEER_UNPAID_URL" > "$OUT/embedding-peer.json"
    node -e '
      const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")).embeddings[0]);
      if (!a || !b || a.length !== 384 || b.length !== 384) { console.error("embedding check: not two 384-d vectors"); process.exit(1); }
      const dot = a.reduce((s, x, i) => s + x * b[i], 0), maxDiff = Math.max(...a.map((x, i) => Math.abs(x - b[i])));
      console.log(`embedding check: cosine(Infergate, peer) = ${dot.toFixed(6)}, max |diff| = ${maxDiff.toExponential(2)}`);
      if (dot < 0.999) process.exit(1);' "$OUT/embedding-infergate.json" "$OUT/embedding-peer.json" \
      | tee -a "$OUT/env.txt" || die "the peer's embedding differs from Infergate's (see $OUT/embedding-*.json)"
  fi
  echo "== peer ready: paid $PEER_PAID_URL$([ "$PEER_UNPAID" = 1 ] && echo ", unpaid $PEER_UNPAID_URL") (chain $(jq -r .rpcUrl "$OUT/peer-chain.json"))"
fi

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }   # utime + stime (fields 14, 15)
# per thread: "<tid> <utime + stime> <name, spaces as _>"
thread_ticks() {
  local t s
  for t in /proc/"$1"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    echo "${t##*/} $(echo "${s##*) }" | awk '{ print $12 + $13 }') $(sed 's/ /_/g' "$t/comm")"
  done
}
jit_ticks() { thread_ticks "$1" | awk '$3 ~ /^C[12]_CompilerThre/ { s += $2 } END { print s + 0 }'; }
# load <unpaid|paid|peer-paid|peer-unpaid> <clients> <duration> <warmup>: prints the loader's RESULT line, then
# the node's CPU ms per successful call and the loader's CPU µs per measured request.
load() {
  local url mode offer=bench pid=${NODE_PID[$1]} err="$OUT/loader.err" before after result calls loader_us
  case "$1" in
    unpaid) url=$UNPAID_URL; mode=unpaid; [ "$BASELINE" != unpaid ] && mode=paid ;;
    paid) url=$PAID_URL; mode=paid ;;
    peer-paid) url=$PEER_PAID_URL; mode=paid; offer=server ;;
    peer-unpaid) url=$PEER_UNPAID_URL; mode=unpaid ;;
  esac
  before=$(cpu_ticks "$pid")
  jit_before=$(jit_ticks "$pid")
  [ "${THREADS:-}" = 1 ] && thread_ticks "$pid" > "$OUT/threads-before"
  # The loader's JVM, tuned to take little CPU from the node:
  # - C1 only: a point is too short to earn back C2's compile time (2 cores, 2 clients, 8 s: 70 vs 110 µs CPU per
  #   unpaid request, 575-710 vs 760-1060 per paid one with full tiering; re-checked 2026-11-30 with the lean
  #   paid path: 160-270 vs 400-490 µs per paid request).
  # - CompileThresholdScaling=0.05: the per-call methods are compiled after ~10 calls instead of ~200. At the
  #   default a slow point (40-130 paid calls/s) spent its 3 s warmup and part of its window interpreted.
  # - Serial GC with an 8 MB young generation: it reuses the same eden pages after each collection. With G1 and a
  #   256 MB heap a run never collected, so every 4 KB allocated touched a fresh page (one page fault per paid call,
  #   and page faults are dear on this virtualised machine).
  result=$("${BJ[@]}" -Xmx${LOADER_HEAP:-64m} -Xmn8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.05 \
      io.infergate.bench.load.PaidLoad url="$url" \
      body="$OUT/body.json" mode="$mode" offer="$offer" clients="$2" duration="$3" warmup="$4" presign="$PRESIGN" 2> "$err" \
      | grep '^RESULT') || true
  after=$(cpu_ticks "$pid")
  jit_after=$(jit_ticks "$pid")
  { echo "== $1 c=$2 duration=$3 warmup=$4"; cat "$err"; } >> "$OUT/loader.log"
  grep -v -e '^LOADER ' -e '^SLF4J' "$err" >&2 || true   # a client's failure
  calls=$(sed -n 's/^LOADER .*calls=\([0-9]*\).*/\1/p' "$err")
  loader_us=$(sed -n 's/^LOADER cpu_us_per_req=\([0-9.]*\).*/\1/p' "$err")
  if [ "${THREADS:-}" = 1 ] && [ "${calls:-0}" -gt 0 ]; then
    { echo "== $1 c=$2 ${3}s: node CPU µs per call by thread (JIT and GC included)"
      thread_ticks "$pid" | awk -v n="$calls" -v hz="$CLK_TCK" 'NR == FNR { b[$1] = $2; next }
        { d = $2 - b[$1]; if (d > 0) printf "%9.1f  %s\n", d * 1e6 / hz / n, $3 }' "$OUT/threads-before" - | sort -rn | head -15
    } >> "$OUT/threads.txt"
  fi
  echo "$result $(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="${calls:-0}" \
      'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }') ${loader_us:-0} $(awk -v t=$((jit_after - jit_before)) \
      -v hz="$CLK_TCK" -v n="${calls:-0}" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')"
}
for mode in $MODES; do
  load "$mode" 2 "$WARMUP" 0 > /dev/null
  case "$mode" in peer-*) continue ;; esac   # a Node.js peer has no HotSpot compiler threads
  waited=$WARMUP
  while :; do
    j0=$(jit_ticks "${NODE_PID[$mode]}")
    load "$mode" 2 10 0 > /dev/null
    j1=$(jit_ticks "${NODE_PID[$mode]}")
    waited=$((waited + 10))
    pct=$(awk -v t=$((j1 - j0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", t * 100 / hz / 10 }')
    if awk -v p="$pct" -v q="$JIT_QUIET" 'BEGIN { exit !(p < q) }'; then
      echo "warm-up $mode: ${waited} s; JIT compilers used $pct% of a core in the last 10 s" | tee -a "$OUT/env.txt"
      break
    fi
    if [ "$waited" -ge "$WARMUP_MAX" ]; then
      echo "warm-up $mode: still compiling after ${waited} s ($pct% of a core); its figures include JIT work" \
          | tee -a "$OUT/env.txt"
      break
    fi
  done
done

RESULTS="$OUT/paid.tsv"
: > "$RESULTS"
read -r -a MODE_LIST <<< "$MODES"
for round in $(seq 1 "$ROUNDS"); do
  # the order rotates by one mode per round, so drift does not favour one side (two modes: it alternates)
  order=()
  for i in "${!MODE_LIST[@]}"; do order+=("${MODE_LIST[$(( (i + round - 1) % ${#MODE_LIST[@]} ))]}"); done
  for c in $CONCURRENCY; do
    for mode in "${order[@]}"; do
      read -r _ _ cl n secs p50 p99 mean errs busy node_cpu loader_cpu jit_us < <(load "$mode" "$c" "$DURATION" "$POINT_WARMUP")
      # columns 12, 13 and 14 (node CPU ms per call, loader CPU µs per request, the node's JIT compiler CPU µs per
      # call) came later: appended, so older tsv readers keep working
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$mode" "$cl" "$n" "$secs" "$p50" "$p99" \
          "$mean" "$errs" "$busy" "$(cut -d' ' -f1 /proc/loadavg)" "$node_cpu" "$loader_cpu" "$jit_us" | tee -a "$RESULTS"
    done
  done
done
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after)" | tee -a "$OUT/env.txt"
# The nodes' own view (e.g. infergate_compute_duration: is inference itself slower on the paid node?)
curl -s "http://127.0.0.1:$PORT/metrics" > "$OUT/metrics-paid.txt" || true
curl -s "http://127.0.0.1:$((PORT + 1))/metrics" > "$OUT/metrics-unpaid.txt" || true
stop_nodes
trap - EXIT

# --- side by side: paid / unpaid per round and concurrency ------------------------------------------------
: > "$OUT/summary.md"
[ "$BASELINE" = unpaid ] || echo "baseline (the \"unpaid\" columns): $BASELINE ${BASELINE_SETS:-} ${BASELINE_NODE_OPTS:-}; the 0.85 target applies to paid / unpaid only" | tee -a "$OUT/summary.md"
awk -F'\t' -v ab="$([ "$BASELINE" = unpaid ] && echo 0 || echo 1)" '
  { rps = $4 / $5; key = $1 " " $3; R[key, $2] = rps; P50[key, $2] = $6; P99[key, $2] = $7; E[key, $2] = $9 "/" $10; L[key] = $11
    C[key, $2] = $12; LC[key, $2] = $13; J[key, $2] = $14; if (!(key in seen)) { seen[key] = 1; order[++nk] = key } }
  END {
    print "| round | c | unpaid req/s | p50 / p99 ms | paid req/s | p50 / p99 ms | paid / unpaid | target | errors/busy (paid) | load | node CPU ms/req unpaid / paid | node CPU paid / unpaid | loader CPU µs/req unpaid / paid | of node CPU, JIT µs/req unpaid / paid |"
    print "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|"
    for (i = 1; i <= nk; i++) { k = order[i]; split(k, kk, " ")
      ratio = R[k, "paid"] / R[k, "unpaid"]
      cpu = C[k, "unpaid"] > 0 ? sprintf("%.2f", C[k, "paid"] / C[k, "unpaid"]) : "–"
      printf "| %s | %s | %.1f | %.2f / %.2f | %.1f | %.2f / %.2f | %.2f | 0.85: %s | %s | %s | %.2f / %.2f | %s | %.0f / %.0f | %.0f / %.0f |\n", kk[1], kk[2],
        R[k, "unpaid"], P50[k, "unpaid"] / 1000, P99[k, "unpaid"] / 1000, R[k, "paid"], P50[k, "paid"] / 1000,
        P99[k, "paid"] / 1000, ratio, (ab ? "n/a (A/B)" : ratio >= 0.85 ? "met" : "missed"), E[k, "paid"], L[k], C[k, "unpaid"], C[k, "paid"],
        cpu, LC[k, "unpaid"], LC[k, "paid"], J[k, "unpaid"], J[k, "paid"] }
  }' "$RESULTS" | tee -a "$OUT/summary.md"
# --- pooled over the rounds: the estimate to quote ---------------------------------------------------------
# One round's ratio moves by up to 20 % with what the machine's neighbours do in its window; short points in many
# rounds (alternating order) put both sides through the same windows. Pooled ratio = all paid calls / all paid
# seconds over all unpaid calls / all unpaid seconds, per concurrency, with the rounds' spread beside it.
if [ "$ROUNDS" -gt 1 ]; then
  echo | tee -a "$OUT/summary.md"
  echo "Pooled over $ROUNDS rounds (paid / unpaid from all calls and seconds of each side; the per-round ratios' median and range beside it):" | tee -a "$OUT/summary.md"
  echo | tee -a "$OUT/summary.md"
  awk -F'\t' -v ab="$([ "$BASELINE" = unpaid ] && echo 0 || echo 1)" '
    $2 == "paid" || $2 == "unpaid" { N[$3, $2] += $4; S[$3, $2] += $5; CPU[$3, $2] += $12 * $4; R[$1, $3, $2] = $4 / $5
      if (!($3 in seen)) { seen[$3] = 1; cs[++nc] = $3 } if (!($1 in rs)) { rs[$1] = 1; rounds[++nr] = $1 } }
    END {
      print "| c | rounds | unpaid req/s | paid req/s | paid / unpaid (pooled) | per-round median | per-round min – max | target | node CPU ms/req unpaid / paid |"
      print "|---:|---:|---:|---:|---:|---:|---|---|---:|"
      for (i = 1; i <= nc; i++) { c = cs[i]; n = 0
        for (j = 1; j <= nr; j++) { r = rounds[j]; if (((r, c, "paid") in R) && ((r, c, "unpaid") in R) && R[r, c, "unpaid"] > 0) v[++n] = R[r, c, "paid"] / R[r, c, "unpaid"] }
        for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
        med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        pu = N[c, "unpaid"] / S[c, "unpaid"]; pp = N[c, "paid"] / S[c, "paid"]; ratio = pp / pu
        printf "| %s | %d | %.1f | %.1f | **%.2f** | %.2f | %.2f – %.2f | 0.85: %s | %.2f / %.2f |\n", c, n, pu, pp, ratio, med, v[1], v[n],
          (ab ? "n/a (A/B)" : ratio >= 0.85 ? "met" : "missed"), CPU[c, "unpaid"] / N[c, "unpaid"], CPU[c, "paid"] / N[c, "paid"] }
    }' "$RESULTS" | tee -a "$OUT/summary.md"
fi
if [ "$PEER" = 1 ]; then
  echo | tee -a "$OUT/summary.md"
  awk -F'\t' '
    { rps = $4 / $5; key = $1 " " $3; R[key, $2] = rps; P50[key, $2] = $6 / 1000; P99[key, $2] = $7 / 1000
      E[key, $2] = $9 "/" $10; L[key] = $11; C[key, $2] = $12; if (!(key in seen)) { seen[key] = 1; order[++nk] = key } }
    function cell(k, m) { return ((k, m) in R) ? sprintf("%.1f (%.1f / %.1f)", R[k, m], P50[k, m], P99[k, m]) : "–" }
    function cpu(k, m) { return ((k, m) in C) ? sprintf("%.2f", C[k, m]) : "–" }
    function ratio(k, a, b) { return (((k, a) in R) && ((k, b) in R) && R[k, b] > 0) ? sprintf("%.2f", R[k, a] / R[k, b]) : "–" }
    END {
      print "Same rounds, with the x402 reference peer (req/s, p50 / p99 ms in brackets):"
      print ""
      print "| round | c | Infergate unpaid | Infergate paid | peer unpaid | peer paid | Infergate paid / unpaid | peer paid / unpaid | Infergate paid / peer paid | errors/busy (peer paid) | load | node CPU ms/req: Infergate unpaid / paid, peer unpaid / paid |"
      print "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
      for (i = 1; i <= nk; i++) { k = order[i]; split(k, kk, " ")
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s, %s / %s |\n", kk[1], kk[2], cell(k, "unpaid"), cell(k, "paid"),
          cell(k, "peer-unpaid"), cell(k, "peer-paid"), ratio(k, "paid", "unpaid"), ratio(k, "peer-paid", "peer-unpaid"),
          ratio(k, "paid", "peer-paid"), E[k, "peer-paid"], L[k], cpu(k, "unpaid"), cpu(k, "paid"), cpu(k, "peer-unpaid"),
          cpu(k, "peer-paid") }
    }' "$RESULTS" | tee -a "$OUT/summary.md"
fi
echo "results in $OUT"
