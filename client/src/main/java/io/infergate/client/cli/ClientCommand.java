package io.infergate.client.cli;

import io.infergate.client.ClientException;
import io.infergate.client.channel.ChainChannels;
import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.http.PaidHttpClient;
import io.infergate.client.http.PaidResponse;
import io.infergate.client.store.ChannelStore;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.wire.PaymentRequirements;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code infergate client}: pay for services from the command line.
 *
 * <pre>{@code
 * export CONSUMER_KEY=0x...
 * infergate client deposit --direct --amount 1000000 text-embedding --key-env CONSUMER_KEY
 * infergate client call text-embedding --data '{"texts":["hello"]}' --key-env CONSUMER_KEY
 * infergate client status --key-env CONSUMER_KEY
 * infergate client withdraw text-embedding --key-env CONSUMER_KEY   # initiate; again after the delay: finalize
 * infergate client verify 0x<receipt id> [--reexecute] [--json]     # one receipt, against the chain
 * infergate client audit [--channel 0x...] [--json]                 # the whole receipt log
 * }</pre>
 *
 * <p>In code (and tests), {@link #run(Map, PrintWriter, PrintWriter, String...)} runs it with a given
 * environment and output, without touching the process's.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Pay for Infergate services through x402 batch-settlement channels.",
    subcommands = {ClientCommand.Deposit.class, ClientCommand.Call.class, ClientCommand.Withdraw.class,
        ClientCommand.Status.class, ClientCommand.Recover.class, ClientCommand.Refund.class,
        ReceiptCommands.Verify.class, ReceiptCommands.Audit.class})
public final class ClientCommand {
  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;

  private ClientCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(System.getenv(), out, err, args));
  }

  /** Runs the command line with {@code env} as the environment; returns the exit code (0 ok, 1 failed, 2 usage). */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new ClientCommand(env, out, err));
    cl.setOut(out).setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof ClientException || e instanceof IllegalArgumentException) {
        err.println("error: " + e.getMessage());
        err.flush();
        return 1;
      }
      throw e;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Shared plumbing of the subcommands: options, key, store, client. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand ClientCommand parent;
    @Mixin ClientOptions options;

    PrintWriter out() {
      return parent.out;
    }

    @Override
    public final Integer call() {
      options.environment(parent.env);
      PrivateKey key = options.key();
      try (ChannelStore store = options.openStore()) {
        return run(store, key);
      }
    }

    abstract Integer run(ChannelStore store, PrivateKey key);

    ChainChannels chainOrNull(PrivateKey key) {
      return options.rpcUrl().isPresent() ? options.chain(key) : null;
    }
  }

  @Command(name = "deposit", description = "Fund a channel: through the node (an ERC-3009 deposit riding on a paid call) or --direct on chain.")
  static final class Deposit extends Base {
    @Parameters(index = "0", description = "Service name (e.g. text-embedding), path or URL whose offer sets the channel's terms.")
    String service;
    @Option(names = "--amount", required = true, description = "Amount in the token's smallest unit.")
    BigInteger amount;
    @Option(names = "--direct", description = "Deposit on chain yourself (needs --rpc and gas); otherwise the node submits it.")
    boolean direct;
    @Option(names = "--data", defaultValue = "{}", description = "Body of the paid call that carries a node-relayed deposit.")
    String data;

    @Override
    Integer run(ChannelStore store, PrivateKey key) {
      URI url = options.serviceUrl(service);
      if (!direct) {
        PaidResponse r = options.client(store, key, null).deposit(url, data.getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"), amount);
        out().println("deposited " + amount + " through the node into channel " + r.channelId() + "; call answered "
            + r.status() + ", charged " + r.charged());
        return 0;
      }
      try (ChainChannels chain = options.chain(key)) {
        PaidHttpClient client = options.client(store, key, chain);
        PaymentRequirements offer = client.offer(url);
        ChannelRecord ch = client.openChannel(offer);
        ChainChannels.OnChain s = chain.deposit(ch.config(), offer.extra().name(), offer.extra().version(), amount);
        store.recordChain(ch.channelId(), s.balance(), s.totalClaimed(), s.withdrawInitiatedAt());
        out().println("deposited " + amount + " on chain into channel " + ch.channelId() + "; balance " + s.balance());
        return 0;
      }
    }
  }

  @Command(name = "call", description = "Call a service and pay for it; prints the response body.")
  static final class Call extends Base {
    @Parameters(index = "0", description = "Service name (e.g. text-embedding), path (/v2/models/m/infer) or URL.")
    String service;
    @Option(names = "--data", required = true, description = "JSON request body.")
    String data;

    @Override
    Integer run(ChannelStore store, PrivateKey key) {
      PaidResponse r = options.client(store, key, null).call(options.serviceUrl(service), data);
      out().println(r.bodyText());
      parent.err.println("HTTP " + r.status() + (r.channelId() != null ? ", charged " + r.charged() + " on channel "
          + r.channelId() : ""));
      r.receipt().ifPresent(rc -> parent.err.println("receipt " + rc.id() + " (seq " + rc.receipt().seq()
          + "); check it with 'infergate client verify " + rc.id() + "'"));
      r.receiptProblem().ifPresent(p -> parent.err.println("WARNING: " + p + " (kept in the store; 'audit' reports it)"));
      return r.status() < 400 ? 0 : 1;
    }
  }

  @Command(name = "withdraw", description = "Timed withdrawal: starts it; run again after the channel's delay to finish it.")
  static final class Withdraw extends Base {
    @Parameters(index = "0", description = "Channel id (0x...) from 'status'.")
    String channel;

    @Override
    Integer run(ChannelStore store, PrivateKey key) {
      Bytes32 id = Bytes32.parse(channel);
      ChannelRecord ch = store.find(id).orElseThrow(() -> new ClientException("channel " + id
          + " is not in the store; see 'status', or 'recover' it first"));
      try (ChainChannels chain = options.chain(key)) {
        ChainChannels.OnChain s = chain.read(id);
        if (s.withdrawInitiatedAt() == 0) {
          BigInteger available = s.balance().subtract(s.totalClaimed());
          if (available.signum() <= 0) {
            throw new ClientException("channel " + id + " has nothing left to withdraw (balance " + s.balance()
                + ", claimed " + s.totalClaimed() + ")");
          }
          s = chain.initiateWithdraw(ch.config(), id, available);
          out().println("withdrawal of " + available + " started on channel " + id + "; run 'withdraw' again after "
              + (s.withdrawInitiatedAt() + ch.config().withdrawDelay()) + " (unix time) to finish it");
        } else if (!s.withdrawalReady(ch.config().withdrawDelay())) {
          out().println("withdrawal pending on channel " + id + ": it can be finished after "
              + (s.withdrawInitiatedAt() + ch.config().withdrawDelay()) + " (chain time now " + s.chainTime() + ")");
          return 0;
        } else {
          BigInteger before = s.balance();
          s = chain.finalizeWithdraw(ch.config(), id);
          out().println("withdrawal finished on channel " + id + ": " + before.subtract(s.balance())
              + " returned to the payer; balance now " + s.balance());
        }
        store.recordChain(id, s.balance(), s.totalClaimed(), s.withdrawInitiatedAt());
        return 0;
      }
    }
  }

  @Command(name = "status", description = "List channels: balance, charged, and with --rpc what the chain says.")
  static final class Status extends Base {
    @Override
    Integer run(ChannelStore store, PrivateKey key) {
      List<ChannelRecord> channels = store.list();
      if (channels.isEmpty()) {
        out().println("no channels in " + store.file() + "; fund one with 'deposit'");
        return 0;
      }
      ChainChannels chain = chainOrNull(key);
      try {
        for (ChannelRecord ch : channels) {
          StringBuilder line = new StringBuilder(ch.channelId().toString()).append(" payTo ").append(ch.config().receiver())
              .append(" balance ").append(ch.balance()).append(" charged ").append(ch.charged())
              .append(" signed ").append(ch.signedMax());
          if (chain != null) {
            ChainChannels.OnChain s = chain.read(ch.channelId());
            store.recordChain(ch.channelId(), s.balance(), s.totalClaimed(), s.withdrawInitiatedAt());
            line.append(" | chain balance ").append(s.balance()).append(" claimed ").append(s.totalClaimed());
            if (s.withdrawInitiatedAt() != 0) {
              line.append(" withdrawal ").append(s.pendingWithdrawal()).append(s.withdrawalReady(ch.config().withdrawDelay())
                  ? " ready" : " pending until " + (s.withdrawInitiatedAt() + ch.config().withdrawDelay()));
            }
          }
          ch.quarantine().ifPresent(r -> line.append(" QUARANTINED: ").append(r));
          out().println(line);
        }
      } finally {
        if (chain != null) {
          chain.close();
        }
      }
      return 0;
    }
  }

  @Command(name = "recover", description = "Rebuild the store's channels for a service from the node (and the chain with --rpc).")
  static final class Recover extends Base {
    @Parameters(index = "0", description = "Service name, path or URL.")
    String service;

    @Override
    Integer run(ChannelStore store, PrivateKey key) {
      ChainChannels chain = chainOrNull(key);
      try {
        List<ChannelRecord> found = options.client(store, key, chain).recover(options.serviceUrl(service));
        found.forEach(ch -> out().println("recovered " + ch.channelId() + " balance " + ch.balance() + " charged "
            + ch.charged()));
        if (found.isEmpty()) {
          out().println("no channel of this key pays that service; fund one with 'deposit'");
        }
        return 0;
      } finally {
        if (chain != null) {
          chain.close();
        }
      }
    }
  }

  @Command(name = "refund", description = "Ask the node for a cooperative refund of what was not charged (or use 'withdraw', which always works).")
  static final class Refund extends Base {
    @Parameters(index = "0", description = "Service name, path or URL.")
    String service;
    @Option(names = "--amount", description = "Amount to refund; default everything unclaimed.")
    BigInteger amount;

    @Override
    Integer run(ChannelStore store, PrivateKey key) {
      PaidResponse r = options.client(store, key, null).requestRefund(options.serviceUrl(service), amount);
      out().println("refund answered " + r.status() + ": " + r.bodyText());
      return r.status() < 400 ? 0 : 1;
    }
  }
}
