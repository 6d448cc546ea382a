package io.infergate.client.receipts;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.InvalidSignatureException;
import io.infergate.x402.receipt.InferenceReceipt;
import io.infergate.x402.receipt.SignedReceipt;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The check a client makes the moment a paid answer arrives: does the receipt describe <em>this</em> call? It
 * compares each field with what the client itself sent, received, signed and was told in
 * {@code PAYMENT-RESPONSE}, and recovers the signature. Whether the signer is authorized and the receipt anchored
 * is {@link ReceiptVerifier}'s later, chain-backed question.
 *
 * <pre>{@code
 * List<String> problems = CallReceipts.mismatches(receipt, expected);
 * }</pre>
 */
public final class CallReceipts {
  private CallReceipts() {}

  /**
   * What the client knows about a call, to hold a receipt against.
   *
   * @param service the service the client called
   * @param requestHash the request hash computed from what was sent
   * @param responseHash keccak256 of the body received
   * @param channelId the channel that paid
   * @param chainId the channel's chain
   * @param maxClaimableAmount the voucher just signed for the call
   * @param chargedAmount the {@code PAYMENT-RESPONSE}'s {@code extra.chargedAmount}
   * @param chargedCumulativeAmount the {@code PAYMENT-RESPONSE}'s {@code channelState.chargedCumulativeAmount}
   */
  public record Expected(String service, Bytes32 requestHash, Bytes32 responseHash, Bytes32 channelId, long chainId,
      BigInteger maxClaimableAmount, BigInteger chargedAmount, BigInteger chargedCumulativeAmount) {}

  /** Every way {@code r} differs from the call; empty when it describes exactly this call. */
  public static List<String> mismatches(SignedReceipt signed, Expected e) {
    InferenceReceipt r = signed.receipt();
    List<String> out = new ArrayList<>();
    differ(out, "service", r.service(), e.service());
    differ(out, "requestHash", r.requestHash(), e.requestHash());
    differ(out, "responseHash", r.responseHash(), e.responseHash());
    differ(out, "channelId", r.channelId(), e.channelId());
    differ(out, "domain.chainId", signed.domain().chainId(), e.chainId());
    differ(out, "maxClaimableAmount", r.maxClaimableAmount(), e.maxClaimableAmount());
    differ(out, "chargedAmount", r.chargedAmount(), e.chargedAmount());
    differ(out, "chargedCumulativeAmount", r.chargedCumulativeAmount(), e.chargedCumulativeAmount());
    try {
      Address signer = signed.signer();
      if (signer.isZero()) {
        out.add("signature recovers to the zero address");
      }
    } catch (InvalidSignatureException | IllegalArgumentException ex) {
      out.add("signature does not recover to any key: " + ex.getMessage());
    }
    return out;
  }

  /**
   * The service a request path names: {@code /v1/services/{name}}, {@code /v2/models/{name}/infer} or
   * {@code /v2/models/{name}/versions/{v}/infer}; empty for other paths.
   */
  public static Optional<String> serviceOfPath(String rawPath) {
    String[] seg = rawPath.split("/");
    // "", "v1", "services", name   |   "", "v2", "models", name, ...
    if (seg.length == 4 && seg[1].equals("v1") && seg[2].equals("services")) {
      return Optional.of(decode(seg[3]));
    }
    if (seg.length >= 5 && seg[1].equals("v2") && seg[2].equals("models") && seg[seg.length - 1].equals("infer")) {
      return Optional.of(decode(seg[3]));
    }
    return Optional.empty();
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void differ(List<String> out, String field, Object got, Object want) {
    if (!got.equals(want)) {
      out.add(field + " is " + got + " but the call's is " + want);
    }
  }
}
