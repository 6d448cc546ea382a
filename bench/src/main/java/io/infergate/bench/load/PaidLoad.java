package io.infergate.bench.load;

import io.infergate.bench.payments.BenchChannels;
import io.infergate.bench.payments.BenchChannels.Channel;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.X402Codec;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load generator for paid and unpaid calls, so both are measured by the same client.
 * wrk cannot sign secp256k1 vouchers; this can. Each virtual client owns one connection (its own
 * {@link HttpClient}) and, when paying, one channel ({@link BenchChannels#channel}(firstChannel + i)): it
 * sends cumulative vouchers in order, and signs the next one (assuming the full price is charged) while its
 * current request is in flight. It learns where its channel stands from the first answer (PAYMENT-RESPONSE,
 * or the corrective 402's channel state), so the same seeded ledger serves many runs.
 *
 * <pre>
 * PaidLoad url=http://127.0.0.1:18080/v2/models/text-embedding/infer body=&lt;file&gt; mode=paid|unpaid
 *          clients=1 duration=15 warmup=5 first-channel=0 price=1000
 * </pre>
 * Prints {@code RESULT mode clients requests seconds p50_us p99_us mean_us errors busy_retries}.
 */
public final class PaidLoad {
  private PaidLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>(Map.of("mode", "paid", "clients", "1", "duration", "15",
        "warmup", "5", "first-channel", "0", "price", BenchChannels.EMBEDDING_PRICE.toString()));
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    URI uri = URI.create(a.get("url"));
    byte[] body = Files.readAllBytes(Path.of(a.get("body")));
    boolean paid = a.get("mode").equals("paid");
    int clients = Integer.parseInt(a.get("clients"));
    long warmupNs = Duration.ofSeconds(Long.parseLong(a.get("warmup"))).toNanos();
    long durationNs = Duration.ofSeconds(Long.parseLong(a.get("duration"))).toNanos();
    int first = Integer.parseInt(a.get("first-channel"));
    BigInteger price = new BigInteger(a.get("price"));

    long start = System.nanoTime();
    long measureFrom = start + warmupNs;
    long end = measureFrom + durationNs;
    List<Client> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client(uri, body, paid ? BenchChannels.channel(first + i) : null, price, measureFrom, end);
      all.add(c);
      threads.add(Thread.ofVirtual().start(c));
    }
    for (Thread t : threads) {
      t.join();
    }
    int n = all.stream().mapToInt(c -> c.count).sum();
    long[] lat = new long[n];
    int k = 0;
    long errors = 0;
    long busy = 0;
    for (Client c : all) {
      System.arraycopy(c.latencies, 0, lat, k, c.count);
      k += c.count;
      errors += c.errors;
      busy += c.busy;
      if (c.failure != null) {
        System.err.println("client failed: " + c.failure);
        errors++;
      }
    }
    Arrays.sort(lat);
    double seconds = durationNs / 1e9;
    double mean = n == 0 ? 0 : Arrays.stream(lat).average().orElse(0) / 1000.0;
    System.out.printf(java.util.Locale.ROOT, "RESULT %s %d %d %.3f %.1f %.1f %.1f %d %d%n", paid ? "paid" : "unpaid",
        clients, n, seconds, pct(lat, 0.50), pct(lat, 0.99), mean, errors, busy);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
  }

  /** One virtual client: one connection, one channel, calls in sequence. */
  static final class Client implements Runnable {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final URI uri;
    final byte[] body;
    final Channel channel;
    final BigInteger price;
    final PaymentRequirements offer;
    final long measureFrom;
    final long end;
    long[] latencies = new long[1 << 16];
    int count;
    long errors;
    long busy;
    Throwable failure;
    BigInteger charged = BigInteger.ZERO;

    Client(URI uri, byte[] body, Channel channel, BigInteger price, long measureFrom, long end) {
      this.uri = uri;
      this.body = body;
      this.channel = channel;
      this.price = price;
      this.offer = BenchChannels.offer(price);
      this.measureFrom = measureFrom;
      this.end = end;
    }

    HttpRequest request(String paymentHeader) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (paymentHeader != null) {
        b.header(X402Codec.PAYMENT_SIGNATURE_HEADER, paymentHeader);
      }
      return b.build();
    }

    @Override
    public void run() {
      try {
        loop();
      } catch (Throwable t) {
        failure = t;
      }
    }

    private void loop() throws Exception {
      String header = channel == null ? null : channel.header(offer, charged.add(price));
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= end) {
          return;
        }
        CompletableFuture<HttpResponse<String>> pending =
            http.sendAsync(request(header), HttpResponse.BodyHandlers.ofString());
        // Sign the following voucher while this call is in flight (right if the full price is charged).
        BigInteger predicted = channel == null ? null : charged.add(price).add(price);
        String predictedHeader = channel == null ? null : channel.header(offer, predicted);
        HttpResponse<String> r = pending.join();
        long t1 = System.nanoTime();
        if (r.statusCode() == 200) {
          if (t0 >= measureFrom && t1 <= end) {
            record(t1 - t0);
          }
          if (channel != null) {
            SettlementResponse s = X402Codec.decodePaymentResponseHeader(
                r.headers().firstValue(X402Codec.PAYMENT_RESPONSE_HEADER).orElseThrow(
                    () -> new IllegalStateException("200 without PAYMENT-RESPONSE")));
            charged = s.extra().channelState().chargedCumulativeAmount();
            BigInteger next = charged.add(price);
            header = next.equals(predicted) ? predictedHeader : channel.header(offer, next);
          }
        } else if (r.statusCode() == 402 && channel != null) {
          PaymentRequired pr = X402Codec.decodePaymentRequiredHeader(
              r.headers().firstValue(X402Codec.PAYMENT_REQUIRED_HEADER).orElseThrow());
          String error = String.valueOf(pr.error());
          if (error.contains("busy")) {
            busy++;        // the previous call's lease is not released yet: retry the same voucher
            continue;
          }
          var state = pr.accepts().get(0).extra().channelState();
          if (state == null) {
            throw new IllegalStateException("402 " + error + ": " + r.body());
          }
          charged = state.chargedCumulativeAmount();   // resynchronise (first call of a run on a used channel)
          header = channel.header(offer, charged.add(price));
        } else {
          errors++;
          if (errors > 1000) {
            throw new IllegalStateException("too many errors, last " + r.statusCode() + ": " + r.body());
          }
        }
      }
    }

    private void record(long ns) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = ns;
    }
  }
}
