package io.infergate.contracts.logs;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * {@code eth_getLogs} from block {@code from} to {@code to}, in block order, split into smaller ranges whenever the
 * node refuses one for its size. Archive nodes and anvil serve the whole range in one request; public providers cap
 * the block span (often 1,000 to 10,000) or the number of results, and answer with an error that says so. Such a
 * range is halved, and the halves read in order, down to a single block; an error that does not read like a size
 * limit (or that a single block still gets) is thrown as {@link LogRangeRefusedException} with the node's message.
 */
public final class LogReader {
  /** Words providers use when a range is too big (block span, result count or response size). */
  private static final List<String> SIZE_LIMIT_WORDS = List.of("range", "limit", "exceed", "too many", "more than",
      "too large", "too big", "response size", "timeout", "timed out");

  /** Builds the filter of one range; the reader calls it for each piece. */
  @FunctionalInterface
  public interface FilterForRange {
    EthFilter filter(DefaultBlockParameterNumber from, DefaultBlockParameterNumber to);
  }

  private final Web3j web3j;
  private int requests;

  public LogReader(Web3j web3j) {
    this.web3j = web3j;
  }

  /** The logs of blocks {@code from..to} (inclusive) matching {@code filter}, in the order the chain has them. */
  public List<Log> read(long from, long to, FilterForRange filter) throws IOException {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("block range " + from + ".." + to + " is empty or negative");
    }
    List<Log> out = new ArrayList<>();
    Deque<long[]> pending = new ArrayDeque<>();
    pending.push(new long[] {from, to});
    while (!pending.isEmpty()) {
      long[] range = pending.pop();
      requests++;
      EthLog answer = web3j.ethGetLogs(filter.filter(block(range[0]), block(range[1]))).send();
      if (!answer.hasError()) {
        for (EthLog.LogResult<?> r : answer.getLogs()) {
          out.add((Log) r.get());
        }
        continue;
      }
      String message = answer.getError().getMessage();
      if (range[0] == range[1] || !readsLikeASizeLimit(message)) {
        throw new LogRangeRefusedException("eth_getLogs for blocks " + range[0] + ".." + range[1] + " was refused: "
            + message + (range[0] == range[1] ? " (even for a single block)" : "")
            + "; use an RPC endpoint that serves event logs for this contract (a full or archive node)");
      }
      long mid = range[0] + (range[1] - range[0]) / 2;
      pending.push(new long[] {mid + 1, range[1]});     // read after the first half: block order is kept
      pending.push(new long[] {range[0], mid});
    }
    return out;
  }

  /** The logs from block {@code from} to the node's current head. */
  public List<Log> readToHead(long from, FilterForRange filter) throws IOException {
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    return head < from ? List.of() : read(from, head, filter);
  }

  /** How many {@code eth_getLogs} requests this reader sent (for logs and tests). */
  public int requests() {
    return requests;
  }

  /** Whether a node's refusal reads like a size limit (block span, result count, response size or time). */
  public static boolean readsLikeASizeLimit(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return SIZE_LIMIT_WORDS.stream().anyMatch(m::contains);
  }

  private static DefaultBlockParameterNumber block(long n) {
    return new DefaultBlockParameterNumber(BigInteger.valueOf(n));
  }
}
