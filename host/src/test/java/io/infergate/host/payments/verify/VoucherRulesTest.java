package io.infergate.host.payments.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.BatchSettlementTypedData;
import io.infergate.x402.eip712.ChannelConfig;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.BatchSettlementError;
import io.infergate.x402.wire.BatchSettlementExtra;
import io.infergate.x402.wire.PaymentPayload;
import io.infergate.x402.wire.PaymentRequirements;
import io.infergate.x402.wire.SchemePayload;
import io.infergate.x402.wire.SignedVoucher;
import java.math.BigInteger;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each server rule on its own: one valid voucher, then one change per case, each refused with its exact code.
 * Signatures are made with Java keys (their compatibility with the reference client is {@code
 * TypedDataInteropTest}'s and {@code ReferenceClientFlowTest}'s subject).
 */
class VoucherRulesTest {
  static final long CHAIN = 84532;
  static final Eip712Domain DOMAIN = Eip712Domain.batchSettlement(CHAIN, ReferenceClientFlowTest.CONTRACT);
  final PrivateKey payer = PrivateKey.random();
  final PrivateKey authorizerKey = PrivateKey.random();
  final Address receiver = PrivateKey.random().address();
  final Address receiverAuthorizer = PrivateKey.random().address();
  final Address token = PrivateKey.random().address();
  final BigInteger price = BigInteger.valueOf(250);
  final PaymentRequirements offer = PaymentRequirements.batchSettlement(CHAIN, price, token, receiver, 60,
      BatchSettlementExtra.of(receiverAuthorizer, 3600, "USDC", "2"));
  final ChannelConfig config = new ChannelConfig(payer.address(), authorizerKey.address(), receiver,
      receiverAuthorizer, token, 3600, Bytes32.ZERO);
  final VoucherVerifier verifier = new VoucherVerifier(DOMAIN, ReferenceClientFlowTest.COLLECTOR, Clock.systemUTC());
  final ChannelView view = new ChannelView(config, BigInteger.valueOf(1000), BigInteger.valueOf(1200), "0xsig",
      BigInteger.valueOf(5000), BigInteger.valueOf(400), 0, BigInteger.ONE);

  PaymentPayload voucher(ChannelConfig c, BigInteger max, PrivateKey signer) {
    Bytes32 id = BatchSettlementTypedData.channelId(DOMAIN, c);
    String sig = signer.sign(BatchSettlementTypedData.voucherDigest(DOMAIN, id, max)).toHex();
    return new PaymentPayload(2, offer, new SchemePayload.VoucherPayload(c, new SignedVoucher(id, max, sig)), null, null);
  }

  Verdict.Reject reject(Verdict v, BatchSettlementError expected) {
    Verdict.Reject r = assertInstanceOf(Verdict.Reject.class, v, () -> "expected " + expected + ", got " + v);
    assertEquals(expected, r.error(), r.message());
    assertTrue(r.message().length() > 20, r.message());
    return r;
  }

  @Test
  void theValidVoucherIsAccepted() {
    Verdict.Accept a = assertInstanceOf(Verdict.Accept.class,
        verifier.verify(offer, view, voucher(config, BigInteger.valueOf(1250), authorizerKey), price));
    assertEquals(authorizerKey.address(), a.authorizer());
    assertEquals(BigInteger.valueOf(1250), a.newMaxClaimable());
  }

  @Test
  void configMustMatchTheOffer() {
    check(c -> new ChannelConfig(c.payer(), c.payerAuthorizer(), payer.address(), c.receiverAuthorizer(), c.token(), c.withdrawDelay(), c.salt()),
        BatchSettlementError.RECEIVER_MISMATCH);
    check(c -> new ChannelConfig(c.payer(), c.payerAuthorizer(), c.receiver(), payer.address(), c.token(), c.withdrawDelay(), c.salt()),
        BatchSettlementError.RECEIVER_AUTHORIZER_MISMATCH);
    check(c -> new ChannelConfig(c.payer(), c.payerAuthorizer(), c.receiver(), c.receiverAuthorizer(), payer.address(), c.withdrawDelay(), c.salt()),
        BatchSettlementError.TOKEN_MISMATCH);
    check(c -> new ChannelConfig(c.payer(), c.payerAuthorizer(), c.receiver(), c.receiverAuthorizer(), c.token(), 900, c.salt()),
        BatchSettlementError.WITHDRAW_DELAY_MISMATCH);
  }

  private void check(UnaryOperator<ChannelConfig> change, BatchSettlementError expected) {
    ChannelConfig c = change.apply(config);
    reject(verifier.verify(offer, new ChannelView(c, view.chargedCumulativeAmount(), null, null, view.balance(),
        view.totalClaimed(), 0, BigInteger.ZERO), voucher(c, BigInteger.valueOf(1250), authorizerKey), price), expected);
  }

  @Test
  void configMustHashToTheChannelId() {
    PaymentPayload p = voucher(config, BigInteger.valueOf(1250), authorizerKey);
    SignedVoucher v = p.payload().voucher();
    Bytes32 other = BatchSettlementTypedData.channelId(Eip712Domain.batchSettlement(CHAIN + 1, ReferenceClientFlowTest.CONTRACT), config);
    PaymentPayload wrongChain = new PaymentPayload(2, offer, new SchemePayload.VoucherPayload(config,
        new SignedVoucher(other, v.maxClaimableAmount(), v.signature())), null, null);
    reject(verifier.verify(offer, view, wrongChain, price), BatchSettlementError.CHANNEL_ID_MISMATCH);
  }

  @Test
  void signatureMustComeFromThePayerAuthorizerAndBeStrict() {
    reject(verifier.verify(offer, view, voucher(config, BigInteger.valueOf(1250), payer), price),
        BatchSettlementError.VOUCHER_SIGNATURE);
    PaymentPayload p = voucher(config, BigInteger.valueOf(1250), authorizerKey);
    String sig = p.payload().voucher().signature();
    String v0 = sig.substring(0, 130) + (sig.endsWith("1b") ? "00" : "01");
    Verdict.Reject r = reject(verifier.verify(offer, view, new PaymentPayload(2, offer, new SchemePayload.VoucherPayload(config,
        new SignedVoucher(p.payload().voucher().channelId(), BigInteger.valueOf(1250), v0)), null, null), price),
        BatchSettlementError.VOUCHER_SIGNATURE);
    assertTrue(r.message().contains("v must be 27 or 28"), r.message());
    // a voucher signed under another chain's domain recovers to someone else
    Eip712Domain other = Eip712Domain.batchSettlement(1, ReferenceClientFlowTest.CONTRACT);
    String foreign = authorizerKey.sign(BatchSettlementTypedData.voucherDigest(other, p.payload().voucher().channelId(),
        BigInteger.valueOf(1250))).toHex();
    reject(verifier.verify(offer, view, new PaymentPayload(2, offer, new SchemePayload.VoucherPayload(config,
        new SignedVoucher(p.payload().voucher().channelId(), BigInteger.valueOf(1250), foreign)), null, null), price),
        BatchSettlementError.VOUCHER_SIGNATURE);
  }

  @Test
  void cumulativeRulesCarryCorrectiveStateOnlyForMismatch() {
    for (long max : new long[] {1000, 1249, 1251, 1500}) { // replayed, lower, skipping ahead
      Verdict.Reject r = reject(verifier.verify(offer, view, voucher(config, BigInteger.valueOf(max), authorizerKey), price),
          BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH);
      assertEquals(BigInteger.valueOf(1000), r.channelState().chargedCumulativeAmount());
      assertEquals(BigInteger.valueOf(1200), r.voucherState().signedMaxClaimable());
    }
    ChannelView poor = new ChannelView(config, BigInteger.valueOf(1000), null, null, BigInteger.valueOf(1100),
        BigInteger.valueOf(400), 0, BigInteger.ONE);
    Verdict.Reject r = reject(verifier.verify(offer, poor, voucher(config, BigInteger.valueOf(1250), authorizerKey), price),
        BatchSettlementError.CUMULATIVE_EXCEEDS_BALANCE);
    assertNull(r.channelState());
    ChannelView claimed = new ChannelView(config, BigInteger.valueOf(1000), null, null, BigInteger.valueOf(5000),
        BigInteger.valueOf(1250), 0, BigInteger.ONE);
    reject(verifier.verify(offer, claimed, voucher(config, BigInteger.valueOf(1250), authorizerKey), price),
        BatchSettlementError.CUMULATIVE_BELOW_CLAIMED);
    ChannelView empty = ChannelView.fromChain(config, BigInteger.ZERO, BigInteger.ZERO, 0, BigInteger.ZERO);
    reject(verifier.verify(offer, empty, voucher(config, price, authorizerKey), price), BatchSettlementError.CHANNEL_NOT_FOUND);
  }

  @Test
  void refundIsZeroChargeAndNeedsSomethingToRefund() {
    PaymentPayload p = voucher(config, BigInteger.valueOf(1000), authorizerKey);
    PaymentPayload refund = new PaymentPayload(2, offer, new SchemePayload.RefundPayload(config, p.payload().voucher(), null), null, null);
    Verdict.Accept a = assertInstanceOf(Verdict.Accept.class, verifier.verify(offer, view, refund, price));
    assertEquals("refund", a.payload().type());
    ChannelView spent = new ChannelView(config, BigInteger.valueOf(1000), null, null, BigInteger.valueOf(1000),
        BigInteger.valueOf(400), 0, BigInteger.ONE);
    reject(verifier.verify(offer, spent, refund, price), BatchSettlementError.REFUND_NO_BALANCE);
    PaymentPayload charged = new PaymentPayload(2, offer, new SchemePayload.RefundPayload(config,
        voucher(config, BigInteger.valueOf(1250), authorizerKey).payload().voucher(), null), null, null);
    reject(verifier.verify(offer, view, charged, price), BatchSettlementError.CUMULATIVE_AMOUNT_MISMATCH);
  }

  @Test
  void payerSignedChannelsNeedAChainCheck() {
    ChannelConfig c = new ChannelConfig(payer.address(), Address.ZERO, receiver, receiverAuthorizer, token, 3600, Bytes32.ZERO);
    ChannelView v = new ChannelView(c, BigInteger.ZERO, null, null, BigInteger.TEN.pow(6), BigInteger.ZERO, 0, BigInteger.ZERO);
    Verdict.NeedsChainCheck n = assertInstanceOf(Verdict.NeedsChainCheck.class,
        verifier.verify(offer, v, voucher(c, price, payer), price));
    assertEquals(payer.address(), n.payer());
  }

  @Test
  void wrongNetworkOrSchemeIsRefused() {
    PaymentRequirements elsewhere = PaymentRequirements.batchSettlement(CHAIN + 1, price, token, receiver, 60, offer.extra());
    PaymentPayload p = voucher(config, BigInteger.valueOf(1250), authorizerKey);
    reject(verifier.verify(offer, view, new PaymentPayload(2, elsewhere, p.payload(), null, null), price),
        BatchSettlementError.NETWORK_MISMATCH);
    PaymentRequirements exact = new PaymentRequirements("exact", offer.network(), price, token, receiver, 60, offer.extra());
    reject(verifier.verify(offer, view, new PaymentPayload(2, exact, p.payload(), null, null), price), BatchSettlementError.SCHEME);
  }
}
