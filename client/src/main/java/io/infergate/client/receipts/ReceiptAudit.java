package io.infergate.client.receipts;

import io.infergate.client.channel.ChannelRecord;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.Equivocation;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a consumer's whole receipt log against its channels, offline (the store is the only input):
 *
 * <ul>
 *   <li>{@code receipts}: every charged call came with a receipt that matched it;
 *   <li>{@code chain}: ordered by {@code chargedCumulativeAmount}, each receipt's total is the previous total plus
 *       its {@code chargedAmount}, starting from 0: no charge between two receipts without a receipt of its own;
 *   <li>{@code vouchers}: each total is at most the receipt's {@code maxClaimableAmount}, which is the voucher the
 *       client signed for that call: nothing charged beyond what was authorized;
 *   <li>{@code total}: the last total equals the channel's charged amount the node reported (the store's view
 *       from {@code PAYMENT-RESPONSE});
 *   <li>{@code seq} (all channels): each signer's receipts carry strictly increasing {@code seq} in call order;
 *   <li>{@code equivocation} (all channels): no two receipts prove misbehaviour.
 * </ul>
 *
 * <pre>{@code
 * AuditReport report = ReceiptAudit.of(store).run(Optional.empty());
 * }</pre>
 */
public final class ReceiptAudit {
  private final ChannelStore store;

  private ReceiptAudit(ChannelStore store) {
    this.store = store;
  }

  public static ReceiptAudit of(ChannelStore store) {
    return new ReceiptAudit(store);
  }

  /** Audits {@code channel}, or every channel with recorded calls or charges when empty. */
  public AuditReport run(Optional<Bytes32> channel) {
    List<Bytes32> ids = new ArrayList<>();
    if (channel.isPresent()) {
      ids.add(channel.get());
    } else {
      ids.addAll(store.receipts().channels());
      store.list().stream().filter(c -> c.charged().signum() > 0 && !ids.contains(c.channelId()))
          .forEach(c -> ids.add(c.channelId()));
    }
    Map<Bytes32, List<Check>> perChannel = new LinkedHashMap<>();
    List<StoredCall> audited = new ArrayList<>();
    for (Bytes32 id : ids) {
      List<StoredCall> calls = store.receipts().forChannel(id);
      audited.addAll(calls);
      perChannel.put(id, channel(id, calls, store.find(id)));
    }
    audited.sort(Comparator.comparingLong(StoredCall::callId));
    return new AuditReport(perChannel, List.of(seq(audited), equivocation(audited)));
  }

  private static List<Check> channel(Bytes32 id, List<StoredCall> calls, Optional<ChannelRecord> record) {
    List<Check> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<SignedReceipt> receipts = new ArrayList<>();
    for (StoredCall c : calls) {
      if (c.receipt() == null) {
        missing.add("call #" + c.callId() + " to " + c.path() + " was charged " + c.chargedAmount() + " (total "
            + c.chargedCumulativeAmount() + ") without a receipt" + (c.receiptProblem() == null ? ""
            : ": " + c.receiptProblem()));
      } else {
        if (c.receiptProblem() != null) {
          missing.add("call #" + c.callId() + ": " + c.receiptProblem());
        }
        receipts.add(c.receipt());
      }
    }
    out.add(missing.isEmpty() ? Check.pass("receipts", calls.size() + " charged calls, each with a matching receipt")
        : Check.fail("receipts", String.join("; ", missing)));

    receipts.sort(Comparator.comparing(s -> s.receipt().chargedCumulativeAmount()));
    List<String> gaps = new ArrayList<>();
    List<String> over = new ArrayList<>();
    BigInteger previous = BigInteger.ZERO;
    for (SignedReceipt s : receipts) {
      InferenceReceipt r = s.receipt();
      BigInteger expected = previous.add(r.chargedAmount());
      if (!r.chargedCumulativeAmount().equals(expected)) {
        BigInteger unexplained = r.chargedCumulativeAmount().subtract(expected);
        gaps.add("receipt " + s.id() + " (seq " + r.seq() + ") brings the total to " + r.chargedCumulativeAmount()
            + " but the previous total " + previous + " plus its charge " + r.chargedAmount() + " is " + expected
            + (unexplained.signum() > 0 ? ": " + unexplained + " charged without a receipt"
                : ": receipts overlap by " + unexplained.negate()));
      }
      if (r.chargedCumulativeAmount().compareTo(r.maxClaimableAmount()) > 0) {
        over.add("receipt " + s.id() + " (seq " + r.seq() + ") charges a total of " + r.chargedCumulativeAmount()
            + " above its voucher of " + r.maxClaimableAmount() + ": overcharged by "
            + r.chargedCumulativeAmount().subtract(r.maxClaimableAmount()));
      }
      previous = r.chargedCumulativeAmount();
    }
    for (StoredCall c : calls) {
      if (c.receipt() != null && c.receipt().receipt().maxClaimableAmount().compareTo(c.maxClaimableAmount()) > 0) {
        over.add("receipt " + c.receipt().id() + " claims a voucher of " + c.receipt().receipt().maxClaimableAmount()
            + " but the client signed " + c.maxClaimableAmount() + " for that call");
      }
    }
    out.add(gaps.isEmpty() ? Check.pass("chain", receipts.size() + " receipts add up from 0 to " + previous)
        : Check.fail("chain", String.join("; ", gaps)));
    out.add(over.isEmpty() ? Check.pass("vouchers", "every total is within the voucher that paid for it")
        : Check.fail("vouchers", String.join("; ", over)));
    if (record.isEmpty()) {
      out.add(Check.skipped("total", "channel " + id + " is not in the store"));
    } else {
      BigInteger charged = record.get().charged();
      out.add(charged.equals(previous) ? Check.pass("total", "receipts total " + previous
          + ", the node's reported charge on the channel")
          : Check.fail("total", "the node reports " + charged + " charged on the channel but the receipts total "
              + previous + (charged.compareTo(previous) > 0 ? ": " + charged.subtract(previous)
              + " acknowledged without a receipt" : "")));
    }
    return out;
  }

  private static Check seq(List<StoredCall> calls) {
    Map<Address, Long> last = new LinkedHashMap<>();
    List<String> bad = new ArrayList<>();
    for (StoredCall c : calls) {
      if (c.receipt() == null) {
        continue;
      }
      Address signer;
      try {
        signer = c.receipt().signer();
      } catch (RuntimeException e) {
        continue; // an unrecoverable signature is reported by 'receipts'
      }
      long seq = c.receipt().receipt().seq();
      Long prev = last.get(signer);
      if (prev != null && seq <= prev) {
        bad.add(signer.toChecksumString() + " numbered call #" + c.callId() + " seq " + seq + " after seq " + prev);
      }
      last.put(signer, prev == null ? seq : Math.max(prev, seq));
    }
    return bad.isEmpty() ? Check.pass("seq", "sequence numbers strictly increase for each of " + last.size()
        + " signer(s)") : Check.fail("seq", String.join("; ", bad));
  }

  private static Check equivocation(List<StoredCall> calls) {
    List<SignedReceipt> rs = calls.stream().map(StoredCall::receipt).filter(java.util.Objects::nonNull).toList();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      for (int j = i + 1; j < rs.size(); j++) {
        if (!rs.get(i).receipt().requestHash().equals(rs.get(j).receipt().requestHash())) {
          continue;
        }
        Equivocation.between(rs.get(i), rs.get(j)).ifPresent(e -> found.add("PROOF OF MISBEHAVIOUR: "
            + e.signer().toChecksumString() + " signed " + e.first().id() + " and " + e.second().id()
            + " for the same request, plugin, models and runtime profile with different responses"));
      }
    }
    return found.isEmpty() ? Check.pass("equivocation", "no conflicting receipts among " + rs.size())
        : Check.fail("equivocation", String.join("; ", found));
  }
}
