package io.infergate.bench.load;

import io.infergate.bench.payments.BenchChannels;
import io.infergate.bench.payments.BenchChannels.Channel;
import io.infergate.x402.wire.PaymentRequired;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.X402Codec;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A closed-loop HTTP/1.1 load generator for paid and unpaid calls, so both are measured by the same client.
 * wrk cannot sign secp256k1 vouchers; this can. Each virtual client is one platform thread that owns one
 * keep-alive connection ({@link HttpConnection}: a plain socket, so the generator takes as little CPU as it
 * can from the node it measures) and, when paying, one channel ({@link BenchChannels#channel}(firstChannel + i)): it
 * sends cumulative vouchers in order, and signs the next one (assuming the full price is charged) while its
 * current request is in flight. It learns where its channel stands from the first answer (PAYMENT-RESPONSE,
 * or the corrective 402's channel state), so the same seeded ledger serves many runs.
 *
 * <p>{@code offer=bench} (the default) pays the offer {@link BenchChannels#offer} into the channels seeded for an
 * Infergate node. {@code offer=server} pays any x402 batch-settlement server the way a stock client does: each
 * client first asks for the offer (an unpaid request, answered 402), echoes that offer verbatim as
 * {@code accepted}, and pays through {@link BenchChannels#channel(int, io.infergate.x402.crypto.Address,
 * io.infergate.x402.crypto.Address, io.infergate.x402.crypto.Address, long, long)} towards the offer's receiver,
 * receiver authorizer, token and withdraw delay (the channels {@code payments.PeerChain} deposited on chain).
 * Both use the same loop: cumulative vouchers in order, the next one signed while the current call is in flight.
 *
 * <pre>
 * PaidLoad url=http://127.0.0.1:18080/v2/models/text-embedding/infer body=&lt;file&gt; mode=paid|unpaid
 *          clients=1 duration=15 warmup=5 first-channel=0 price=1000 offer=bench|server presign=0
 * </pre>
 * {@code presign=N} (0: off) signs each client's next N vouchers in one go after its first paid answer (in the
 * warmup), so the measured window carries no voucher signing: on a machine where the load generator shares the
 * node's cores, the consumer's secp256k1 work otherwise counts against the node. Past N it signs as without.
 * Prints {@code RESULT mode clients requests seconds p50_us p99_us mean_us errors busy_retries} on stdout and, on
 * stderr, its own CPU: {@code LOADER cpu_us_per_req=… window_cpu_s=… total_cpu_s=… calls=…} (the process CPU
 * time spent in the measured window per measured request; {@code calls} counts every 200 of the run, warmup
 * included, so a caller can divide the node's CPU over the whole run by it). A latency runs from just before
 * the request is written to after the whole answer is read.
 */
public final class PaidLoad {
  private PaidLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>(Map.of("mode", "paid", "clients", "1", "duration", "15",
        "warmup", "5", "first-channel", "0", "price", BenchChannels.EMBEDDING_PRICE.toString(), "offer", "bench",
        "presign", "0"));
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
    int presign = Integer.parseInt(a.get("presign"));
    boolean serverOffer = switch (a.get("offer")) {
      case "bench" -> false;
      case "server" -> true;
      default -> throw new IllegalArgumentException("offer must be bench or server, got " + a.get("offer"));
    };

    long start = System.nanoTime();
    long measureFrom = start + warmupNs;
    long end = measureFrom + durationNs;
    List<Client> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client(uri, body, !paid ? null : serverOffer ? new ServerOfferPayer(first + i)
          : new BenchPayer(BenchChannels.channel(first + i), price), price, measureFrom, end, presign);
      all.add(c);
      threads.add(Thread.ofPlatform().name("client-" + i).start(c));
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    sleepUntil(measureFrom);
    long cpuFrom = os.getProcessCpuTime();
    sleepUntil(end);
    long cpuTo = os.getProcessCpuTime();
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
    System.out.printf(Locale.ROOT, "RESULT %s %d %d %.3f %.1f %.1f %.1f %d %d%n", paid ? "paid" : "unpaid",
        clients, n, seconds, pct(lat, 0.50), pct(lat, 0.99), mean, errors, busy);
    System.err.printf(Locale.ROOT, "LOADER cpu_us_per_req=%.1f window_cpu_s=%.3f total_cpu_s=%.3f calls=%d%n",
        n == 0 ? 0 : (cpuTo - cpuFrom) / 1000.0 / n, (cpuTo - cpuFrom) / 1e9, os.getProcessCpuTime() / 1e9,
        all.stream().mapToLong(c -> c.calls).sum());
    if (paid) {
      System.err.println("LOADER signer=" + (io.infergate.x402.crypto.Secp256k1.signsInOneCall()
          ? "secp256k1_ecdsa_sign_recoverable (one native call)" : "Secp256k1.sign (sign + recover)"));
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
  }

  /** One virtual client: one connection, one channel, calls in sequence. */
  static final class Client implements Runnable {
    final HttpConnection http;
    final Payer channel;
    final BigInteger price;
    final long measureFrom;
    final long end;
    long[] latencies = new long[1 << 16];
    int count;
    long errors;
    long busy;
    long calls;       // every 200, warmup included
    Throwable failure;
    BigInteger charged = BigInteger.ZERO;
    private final PaymentResponseReader responses = new PaymentResponseReader();
    private byte[] header;   // PAYMENT-SIGNATURE of the next call (null: unpaid)
    private final int presign;
    private byte[][] presigned;      // vouchers for presignedFrom + price * (k + 1), signed before the window
    private BigInteger presignedFrom;

    Client(URI uri, byte[] body, Payer channel, BigInteger price, long measureFrom, long end, int presign) {
      this.presign = presign;
      this.http = new HttpConnection(uri, body);
      this.channel = channel;
      this.price = price;
      this.measureFrom = measureFrom;
      this.end = end;
    }

    @Override
    public void run() {
      try (http) {
        loop();
      } catch (Throwable t) {
        failure = t;
      }
    }

    private void loop() throws Exception {
      if (channel != null) {
        channel.start(this);
      }
      header = channel == null ? null : channel.header(charged.add(price));
      while (call()) {
        // one call per turn
      }
    }

    /**
     * One call: false once the run is over. A method of its own because the JIT compiles methods on their
     * invocation count: {@link #loop} is entered once and a run is too short for C1 to compile its loop on stack
     * replacement, so a loop body inside it stayed in the interpreter.
     */
    private boolean call() throws java.io.IOException {
      long t0 = System.nanoTime();
      if (t0 >= end) {
        return false;
      }
      http.send(header);
      // Sign the following voucher while this call is in flight (right if the full price is charged), unless it
      // was signed before the window.
      BigInteger predicted = channel == null ? null : charged.add(price).add(price);
      byte[] predictedHeader = channel == null || presignedHeader(predicted) != null ? null : channel.header(predicted);
      http.read();
      long t1 = System.nanoTime();
      if (http.status == 200) {
        calls++;
        if (t0 >= measureFrom && t1 <= end) {
          record(t1 - t0);
        }
        if (channel != null) {
          if (http.paymentResponseLength() < 0) {
            throw new IllegalStateException("200 without " + X402Codec.PAYMENT_RESPONSE_HEADER);
          }
          charged = responses.chargedCumulative(http.paymentResponseBytes(), 0, http.paymentResponseLength());
          BigInteger next = charged.add(price);
          if (presign > 0 && presigned == null) {
            presign(charged);
          }
          byte[] ready = presignedHeader(next);
          header = ready != null ? ready : next.equals(predicted) ? predictedHeader : channel.header(next);
        }
      } else if (http.status == 402 && channel != null) {
        Correction c = channel.correction(paymentRequired());
        if (c.error().contains("busy")) {
          busy++;        // the previous call's lease is not released yet: retry the same voucher
          return true;
        }
        if (c.charged() == null) {
          throw new IllegalStateException("402 " + c.error() + ": " + http.body());
        }
        charged = c.charged();   // resynchronise (first call of a run on a used channel)
        header = channel.header(charged.add(price));
      } else {
        errors++;
        if (errors > 1000) {
          throw new IllegalStateException("too many errors, last " + http.status + ": " + http.body());
        }
      }
      return true;
    }

    /**
     * Signs the vouchers of the next {@code presign} calls at once, before the measured window (the consumer's
     * signing then does not share the node's cores during it, as on a client machine of its own).
     */
    private void presign(BigInteger from) {
      presignedFrom = from;
      presigned = new byte[presign][];
      for (int k = 0; k < presign; k++) {
        presigned[k] = channel.header(from.add(price.multiply(BigInteger.valueOf(k + 1))));
      }
    }

    /** The presigned voucher for cumulative {@code amount}, or null. */
    private byte[] presignedHeader(BigInteger amount) {
      if (presigned == null) {
        return null;
      }
      BigInteger[] qr = amount.subtract(presignedFrom).divideAndRemainder(price);
      if (qr[1].signum() != 0 || qr[0].signum() <= 0 || qr[0].compareTo(BigInteger.valueOf(presign)) > 0) {
        return null;
      }
      return presigned[qr[0].intValue() - 1];
    }

    /** The offer, as the server makes it: an unpaid request answered 402 (for {@code offer=server}). */
    String askForOffer() throws java.io.IOException {
      http.send(null);
      http.read();
      if (http.status != 402) {
        throw new IllegalStateException("asked for the offer without paying, got " + http.status + ": " + http.body());
      }
      return paymentRequired();
    }

    private String paymentRequired() {
      if (http.paymentRequired == null) {
        throw new IllegalStateException("402 without " + X402Codec.PAYMENT_REQUIRED_HEADER + ": " + http.body());
      }
      return http.paymentRequired;
    }

    private void record(long ns) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = ns;
    }
  }

  /** What a 402 says: its error code, and the server's charged total when it is a corrective 402. */
  record Correction(String error, BigInteger charged) {}

  /**
   * How one client pays: builds PAYMENT-SIGNATURE headers and reads the corrective 402s. (Every payer's
   * PAYMENT-RESPONSE is read the same way, by the client's {@link PaymentResponseReader}.)
   */
  interface Payer {
    /** Called once on the client's thread before its first call. */
    default void start(Client client) throws java.io.IOException {}

    /** The header's value (base64, ASCII bytes) for a cumulative voucher of {@code maxClaimable}. */
    byte[] header(BigInteger maxClaimable);

    /** Reads a PAYMENT-REQUIRED header of a paid call's 402. */
    Correction correction(String paymentRequired);
  }

  /**
   * Pays {@link BenchChannels#offer} into a seeded channel. Its headers are {@link Channel#header}'s (the project's
   * own x402 codec), laid out once as a {@link VoucherHeader} template: each call signs and fills in the amount.
   */
  static final class BenchPayer implements Payer {
    private final Channel channel;
    private final VoucherHeader template;

    BenchPayer(Channel channel, BigInteger price) {
      this(channel, BenchChannels.offer(price));
    }

    BenchPayer(Channel channel, PaymentRequirements offer) {
      this.channel = channel;
      this.template = new VoucherHeader((amount, signature) -> channel.header(offer, amount, signature));
    }

    @Override
    public byte[] header(BigInteger maxClaimable) {
      return template.encode(maxClaimable, channel.signature(maxClaimable));
    }

    @Override
    public Correction correction(String paymentRequired) {
      PaymentRequired pr = X402Codec.decodePaymentRequiredHeader(paymentRequired);
      var state = pr.accepts().get(0).extra().channelState();
      return new Correction(String.valueOf(pr.error()), state == null ? null : state.chargedCumulativeAmount());
    }
  }
}
