package io.infergate.x402.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The {@code PAYMENT-RESPONSE} of a paid call. For a voucher the spec fixes {@code transaction = ""} and
 * {@code amount = ""} (nothing moved on chain) and puts the charge in {@code extra.chargedAmount}.
 *
 * @param success whether payment succeeded
 * @param errorReason an error code when it did not, else null
 * @param errorMessage a human message when it did not, else null
 * @param transaction the on-chain transaction hash, {@code ""} for a voucher
 * @param network CAIP-2 network
 * @param payer the payer's address as a string, or null
 * @param amount tokens moved on chain as a decimal string, {@code ""} for a voucher
 * @param extra the charge and channel snapshot, or null
 * @param extensions extension data (receipts), or null
 */
public record SettlementResponse(boolean success, String errorReason, String errorMessage, String transaction,
    String network, String payer, String amount, Extra extra, JsonNode extensions) {
  public SettlementResponse {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(network, "network");
  }

  /** The response to a voucher-paid call: nothing on chain, {@code chargedAmount} and the channel snapshot. */
  public static SettlementResponse voucher(String network, String payer, BigInteger chargedAmount, ChannelState state) {
    return new SettlementResponse(true, null, null, "", network, payer, "", new Extra(chargedAmount, state, null), null);
  }

  /**
   * {@code SettlementResponse.extra} for {@code batch-settlement}.
   *
   * @param chargedAmount what this request cost (≤ the offer's amount); null for a refund
   * @param channelState the channel after the charge
   * @param voucherState the latest voucher, when reported; else null
   */
  public record Extra(BigInteger chargedAmount, ChannelState channelState, VoucherState voucherState) {}
}
