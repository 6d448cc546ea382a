package io.infergate.host.payments.verify;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.InvalidSignatureException;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.eip712.Erc3009;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.Deposit;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SchemePayload.DepositPayload;
import io.infergate.x402.wire.SchemePayload.RefundPayload;
import io.infergate.x402.wire.SignedVoucher;
import io.infergate.x402.wire.VoucherState;
import io.infergate.host.payments.verify.Verdict.Accept;
import io.infergate.host.payments.verify.Verdict.NeedsChainCheck;
import io.infergate.host.payments.verify.Verdict.Reject;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Objects;

/**
 * The resource server's rules for a {@code batch-settlement} payment (spec "Server: State & Forwarding" and
 * "Verification Rules"; {@code @x402/evm} 2.27.0's server and facilitator for order and codes).
 *
 * <p>Order of checks, and why: (1) scheme and network of the echoed offer; (2) the config hashes to the
 * voucher's channel id; (3) the config matches this service's offer (receiver, receiver authorizer, token,
 * withdraw delay and its range), so a client cannot pay into someone else's channel; (4) the signature recovers to
 * {@code payerAuthorizer}, <em>before</em> any state is disclosed, so a corrective 402 only reaches the key
 * holder; (5) the cumulative rule {@code maxClaimable == charged + price} (refund: {@code == charged}), whose
 * failure carries the corrective state; (6) balance rules: channel funded, ceiling within balance (plus the
 * deposit for a deposit payload), above {@code totalClaimed} (refund: not below); (7) for deposits, the ERC-3009
 * authorization's nonce binding, time window and signer. A channel with a zero {@code payerAuthorizer} passes
 * (1)-(3), (5)-(7) and returns {@link NeedsChainCheck} instead of checking (4).
 *
 * <p>Recovery dominates the cost (~40 µs); callers that cache the authorizer per (channelId, signature) use
 * {@link #verify(PaymentRequirements, ChannelView, PaymentPayload, BigInteger, Address)}.
 */
public final class VoucherVerifier {
  private final Eip712Domain channelDomain;
  private final Address erc3009Collector;
  private final Clock clock;

  /**
   * @param channelDomain the channel contract's EIP-712 domain (chain id and contract address)
   * @param erc3009Collector the ERC-3009 deposit collector the authorizations must pay to
   * @param clock unix time for ERC-3009 validity windows
   */
  public VoucherVerifier(Eip712Domain channelDomain, Address erc3009Collector, Clock clock) {
    this.channelDomain = Objects.requireNonNull(channelDomain, "channelDomain");
    this.erc3009Collector = Objects.requireNonNull(erc3009Collector, "erc3009Collector");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The EIP-712 digest the voucher's signer signed. */
  public byte[] voucherDigest(SignedVoucher voucher) {
    return BatchSettlementTypedData.voucherDigest(channelDomain, voucher.channelId(), voucher.maxClaimableAmount());
  }

  /**
   * The address that signed {@code voucher}.
   *
   * @throws InvalidSignatureException for a malformed, high-s or unrecoverable signature
   */
  public Address recoverSigner(SignedVoucher voucher) {
    return Secp256k1.recover(voucherDigest(voucher), Signature.parse(voucher.signature()));
  }

  /**
   * Verifies a payment, recovering the voucher's signer.
   *
   * @param offer this service's requirements (what the 402 offered)
   * @param channel the server's view of the payload's channel ({@link ChannelView#unknown} for a new one)
   * @param payment the decoded {@code PAYMENT-SIGNATURE}
   * @param price the call's maximum price (the offer's {@code amount} unless priced per call)
   */
  public Verdict verify(PaymentRequirements offer, ChannelView channel, PaymentPayload payment, BigInteger price) {
    return verify(offer, channel, payment, price, null);
  }

  /**
   * Like {@link #verify(PaymentRequirements, ChannelView, PaymentPayload, BigInteger)} with the voucher's signer
   * already recovered ({@code recovered}), e.g. from a cache keyed by (channelId, signature); null recovers.
   */
  public Verdict verify(PaymentRequirements offer, ChannelView channel, PaymentPayload payment, BigInteger price,
      Address recovered) {
    SchemePayload p = payment.payload();
    ChannelConfig config = p.channelConfig();
    SignedVoucher voucher = p.voucher();

    Reject r = checkOfferEcho(offer, payment.accepted());
    if (r != null) {
      return r;
    }
    Bytes32 channelId = BatchSettlementTypedData.channelId(channelDomain, config);
    if (!channelId.equals(voucher.channelId())) {
      return Reject.of(BatchSettlementError.CHANNEL_ID_MISMATCH, "voucher.channelId " + voucher.channelId()
          + " is not the EIP-712 hash of channelConfig (" + channelId + " on chain " + channelDomain.chainId()
          + ", contract " + channelDomain.verifyingContract() + "); recompute it from the config");
    }
    if (!channel.config().equals(config)) {
      throw new IllegalArgumentException("the ChannelView passed is for another channel than " + channelId);
    }
    r = checkConfigAgainstOffer(config, offer);
    if (r != null) {
      return r;
    }
    boolean chainCheck = config.payerSignsVouchers();
    Address signer = null;
    if (!chainCheck) {
      signer = recovered != null ? recovered : recover(voucher);
      if (signer == null) {
        return Reject.of(BatchSettlementError.VOUCHER_SIGNATURE, "voucher.signature is malformed: "
            + malformedReason(voucher) + "; sign the EIP-712 Voucher with the payerAuthorizer key");
      }
      if (!signer.equals(config.payerAuthorizer())) {
        return Reject.of(BatchSettlementError.VOUCHER_SIGNATURE, "the voucher is signed by " + signer
            + ", not by the channel's payerAuthorizer " + config.payerAuthorizer()
            + " (check the EIP-712 domain: chainId " + channelDomain.chainId() + ", contract "
            + channelDomain.verifyingContract() + ")");
      }
    }
    r = checkAmounts(p, channel, channelId, price);
    if (r != null) {
      return r;
    }
    if (p instanceof DepositPayload d) {
      r = checkErc3009(d, offer, channelId);
      if (r != null) {
        return r;
      }
    }
    if (chainCheck) {
      return new NeedsChainCheck(channelId, voucher.maxClaimableAmount(), config.payer(), voucherDigest(voucher),
          voucher.signature(), p);
    }
    return new Accept(channelId, voucher.maxClaimableAmount(), signer, p);
  }

  private Address recover(SignedVoucher voucher) {
    try {
      return recoverSigner(voucher);
    } catch (InvalidSignatureException e) {
      return null;
    }
  }

  private String malformedReason(SignedVoucher voucher) {
    try {
      recoverSigner(voucher);
      return "unknown";
    } catch (InvalidSignatureException e) {
      return e.getMessage();
    }
  }

  private Reject checkOfferEcho(PaymentRequirements offer, PaymentRequirements accepted) {
    if (!PaymentRequirements.BATCH_SETTLEMENT.equals(offer.scheme())
        || !PaymentRequirements.BATCH_SETTLEMENT.equals(accepted.scheme())) {
      return Reject.of(BatchSettlementError.SCHEME, "this service is paid with scheme batch-settlement, the payment "
          + "chose \"" + accepted.scheme() + "\"");
    }
    if (!offer.network().equals(accepted.network()) || offer.chainId() != channelDomain.chainId()) {
      return Reject.of(BatchSettlementError.NETWORK_MISMATCH, "the payment is for network " + accepted.network()
          + ", this service is paid on " + offer.network() + "; pay on that chain");
    }
    return null;
  }

  private static Reject checkConfigAgainstOffer(ChannelConfig c, PaymentRequirements offer) {
    if (!c.receiver().equals(offer.payTo())) {
      return Reject.of(BatchSettlementError.RECEIVER_MISMATCH, "channelConfig.receiver " + c.receiver()
          + " is not this service's payTo " + offer.payTo() + "; open a channel to " + offer.payTo());
    }
    Address authorizer = offer.extra().receiverAuthorizer();
    if (authorizer.isZero() || !c.receiverAuthorizer().equals(authorizer)) {
      return Reject.of(BatchSettlementError.RECEIVER_AUTHORIZER_MISMATCH, "channelConfig.receiverAuthorizer "
          + c.receiverAuthorizer() + " is not the offer's extra.receiverAuthorizer " + authorizer
          + "; use the channel config the 402 describes");
    }
    if (!c.token().equals(offer.asset())) {
      return Reject.of(BatchSettlementError.TOKEN_MISMATCH, "channelConfig.token " + c.token()
          + " is not the offer's asset " + offer.asset() + "; pay in " + offer.asset());
    }
    if (c.withdrawDelay() != offer.extra().withdrawDelay()) {
      return Reject.of(BatchSettlementError.WITHDRAW_DELAY_MISMATCH, "channelConfig.withdrawDelay "
          + c.withdrawDelay() + " s is not the offer's extra.withdrawDelay " + offer.extra().withdrawDelay() + " s");
    }
    if (c.withdrawDelay() < ChannelConfig.MIN_WITHDRAW_DELAY || c.withdrawDelay() > ChannelConfig.MAX_WITHDRAW_DELAY) {
      return Reject.of(BatchSettlementError.WITHDRAW_DELAY_OUT_OF_RANGE, "withdrawDelay " + c.withdrawDelay()
          + " s is outside the contract's 900 s to 30 days");
    }
    return null;
  }

  private static Reject checkAmounts(SchemePayload p, ChannelView ch, Bytes32 channelId, BigInteger price) {
    BigInteger max = p.voucher().maxClaimableAmount();
    boolean refund = p instanceof RefundPayload;
    BigInteger expected = refund ? ch.chargedCumulativeAmount() : ch.chargedCumulativeAmount().add(price);
    if (max.compareTo(expected) != 0) {
      ChannelState state = new ChannelState(channelId, ch.balance(), ch.totalClaimed(), ch.withdrawRequestedAt(),
          ch.refundNonce(), ch.chargedCumulativeAmount());
      VoucherState voucher = ch.signedMaxClaimable() != null && ch.signature() != null
          ? new VoucherState(ch.signedMaxClaimable(), ch.signature()) : null;
      return new Reject(BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH, "voucher.maxClaimableAmount " + max
          + " is not " + (refund ? "chargedCumulativeAmount " : "chargedCumulativeAmount + amount = ") + expected
          + (refund ? "" : " (" + ch.chargedCumulativeAmount() + " + " + price + ")")
          + "; resync from accepts[].extra.channelState and sign a new voucher", state, voucher);
    }
    BigInteger balance = ch.balance();
    if (p instanceof DepositPayload d) {
      if (d.deposit().amount().signum() == 0) {
        return Reject.of(BatchSettlementError.DEPOSIT_PAYLOAD, "deposit.amount is 0; deposit a positive amount");
      }
      balance = balance.add(d.deposit().amount());
    } else if (balance.signum() == 0) {
      return Reject.of(BatchSettlementError.CHANNEL_NOT_FOUND, "channel " + channelId
          + " has no balance on chain; send a deposit payload first");
    }
    if (max.compareTo(balance) > 0) {
      return Reject.of(BatchSettlementError.CUMULATIVE_EXCEEDS_BALANCE, "voucher.maxClaimableAmount " + max
          + " exceeds the channel balance " + balance + "; top up with a deposit payload");
    }
    int c = max.compareTo(ch.totalClaimed());
    if (refund ? c < 0 : c <= 0) {
      return Reject.of(BatchSettlementError.CUMULATIVE_BELOW_CLAIMED, "voucher.maxClaimableAmount " + max
          + " must be " + (refund ? "at least" : "above") + " the on-chain totalClaimed " + ch.totalClaimed()
          + "; resync the channel from chain and sign again");
    }
    if (refund && ch.balance().compareTo(ch.chargedCumulativeAmount()) <= 0) {
      return Reject.of(BatchSettlementError.REFUND_NO_BALANCE, "nothing to refund: balance " + ch.balance()
          + " is all charged (" + ch.chargedCumulativeAmount() + ")");
    }
    return null;
  }

  private Reject checkErc3009(DepositPayload d, PaymentRequirements offer, Bytes32 channelId) {
    Deposit.Erc3009Authorization a = d.deposit().erc3009Authorization();
    if (a == null) {
      return Reject.of(BatchSettlementError.ERC3009_AUTHORIZATION_REQUIRED, "this service relays ERC-3009 "
          + "deposits only; send deposit.authorization.erc3009Authorization");
    }
    long now = clock.instant().getEpochSecond();
    // the reference facilitator wants at least 6 s left so the transaction can still land
    if (a.validBefore().compareTo(BigInteger.valueOf(now + 6)) < 0) {
      return Reject.of(BatchSettlementError.PAYLOAD_AUTHORIZATION_VALID_BEFORE, "the ERC-3009 authorization "
          + "expired (validBefore " + a.validBefore() + ", now " + now + "); sign a new deposit");
    }
    if (a.validAfter().compareTo(BigInteger.valueOf(now)) > 0) {
      return Reject.of(BatchSettlementError.PAYLOAD_AUTHORIZATION_VALID_AFTER, "the ERC-3009 authorization is "
          + "not valid before " + a.validAfter() + " (now " + now + ")");
    }
    ChannelConfig c = d.channelConfig();
    if (c.payerSignsVouchers()) {
      return null; // a smart-wallet payer signs via ERC-1271: the chain check (deposit simulation) decides
    }
    Eip712Domain token = Eip712Domain.create(offer.extra().name(), offer.extra().version(), channelDomain.chainId(),
        offer.asset());
    byte[] digest = Erc3009.receiveWithAuthorizationDigest(token, new Erc3009.ReceiveWithAuthorization(c.payer(),
        erc3009Collector, d.deposit().amount(), a.validAfter(), a.validBefore(), Erc3009.depositNonce(channelId, a.salt())));
    try {
      Address signer = Secp256k1.recover(digest, Signature.parse(a.signature()));
      if (!signer.equals(c.payer())) {
        return Reject.of(BatchSettlementError.RECEIVE_AUTHORIZATION_SIGNATURE, "the ERC-3009 authorization is "
            + "signed by " + signer + ", not by the payer " + c.payer() + " (token domain \"" + token.name()
            + "\" v" + token.version() + ", to " + erc3009Collector + ")");
      }
    } catch (InvalidSignatureException e) {
      return Reject.of(BatchSettlementError.RECEIVE_AUTHORIZATION_SIGNATURE, "the ERC-3009 signature is malformed: "
          + e.getMessage());
    }
    return null;
  }
}
