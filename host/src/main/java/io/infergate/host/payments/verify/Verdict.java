package io.infergate.host.payments.verify;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.VoucherState;
import java.math.BigInteger;

/** The outcome of {@link VoucherVerifier#verify}. */
public sealed interface Verdict {
  /**
   * Every rule holds: run the handler, then charge at most {@code newMaxClaimable - chargedCumulativeAmount}.
   *
   * @param channelId the channel
   * @param newMaxClaimable the voucher's ceiling, to store with its signature
   * @param authorizer the address that signed the voucher (cache it per channel and signature)
   * @param payload the verified payload (a deposit still has to be submitted and confirmed on chain)
   */
  record Accept(Bytes32 channelId, BigInteger newMaxClaimable, Address authorizer, SchemePayload payload)
      implements Verdict {}

  /**
   * Every local rule holds but the voucher is signed by the payer itself ({@code payerAuthorizer} zero), which may
   * be an ERC-1271 smart wallet: the signature must be checked on chain ({@code SignatureChecker}) against
   * {@code payer} over {@code digest} before accepting.
   */
  record NeedsChainCheck(Bytes32 channelId, BigInteger newMaxClaimable, Address payer, byte[] digest,
      String signature, SchemePayload payload) implements Verdict {}

  /**
   * Refused. {@code error} is the exact x402 code, {@code message} says what to do; on {@code
   * cumulative_amount_mismatch} the corrective state goes into {@code accepts[].extra} of the 402.
   *
   * @param channelState the server's channel snapshot (corrective 402 only), else null
   * @param voucherState the server's latest voucher (corrective 402 only, when it holds one), else null
   */
  record Reject(BatchSettlementError error, String message, ChannelState channelState, VoucherState voucherState)
      implements Verdict {
    static Reject of(BatchSettlementError error, String message) {
      return new Reject(error, message, null, null);
    }
  }

}
