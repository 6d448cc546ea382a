package io.infergate.client.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.infergate.client.NodeMisbehavedException;
import io.infergate.client.NodeMisbehavedException.Violation;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.eip712.Eip712Domain;
import io.infergate.x402.wire.ChannelState;
import io.infergate.x402.wire.SettlementResponse;
import io.infergate.x402.wire.VoucherState;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Every rule of {@link ResponseCheck}, one broken at a time, from an honest answer. */
class ResponseCheckTest {
  static final Bytes32 ID = Bytes32.keccak(new byte[] {1});
  static final BigInteger PRICE = BigInteger.valueOf(100);
  static final BigInteger CHARGED = BigInteger.valueOf(300);
  static final BigInteger VOUCHER = CHARGED.add(PRICE);
  static final VoucherSigner SIGNER = VoucherSigner.create(PrivateKey.random(),
      Eip712Domain.batchSettlement(31337, Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003")));

  static SettlementResponse answer(Bytes32 id, BigInteger chargedNow, BigInteger cumulative, BigInteger balance) {
    return SettlementResponse.voucher("eip155:31337", null, chargedNow,
        new ChannelState(id, balance, BigInteger.ZERO, 0, BigInteger.ZERO, cumulative));
  }

  static ChannelState check(SettlementResponse r) {
    return ResponseCheck.settlement(ID, CHARGED, VOUCHER, PRICE, null, r);
  }

  @Test
  void anHonestAnswerPassesIncludingACheaperCharge() {
    assertEquals(VOUCHER, check(answer(ID, PRICE, VOUCHER, BigInteger.valueOf(1000))).chargedCumulativeAmount());
    assertEquals(BigInteger.valueOf(340), check(answer(ID, BigInteger.valueOf(40), BigInteger.valueOf(340),
        BigInteger.valueOf(1000))).chargedCumulativeAmount(), "dynamic pricing: charging less than the offer is fine");
  }

  @ParameterizedTest
  @EnumSource(value = Violation.class, names = "UNSIGNED_CLAIM", mode = EnumSource.Mode.EXCLUDE)
  void eachBrokenRuleIsNamed(Violation violation) {
    BigInteger balance = BigInteger.valueOf(1000);
    SettlementResponse r = switch (violation) {
      case MISSING_SETTLEMENT -> null;
      case CHARGE_ABOVE_OFFER -> answer(ID, PRICE.add(BigInteger.ONE), VOUCHER.add(BigInteger.ONE), balance);
      case CUMULATIVE_MISMATCH -> answer(ID, PRICE, VOUCHER.add(PRICE), balance);
      case CHANNEL_MISMATCH -> answer(Bytes32.keccak(new byte[] {2}), PRICE, VOUCHER, balance);
      case BALANCE_BELOW_CHARGED -> answer(ID, PRICE, VOUCHER, VOUCHER.subtract(BigInteger.ONE));
      case CHARGE_ABOVE_VOUCHER -> null; // checked below: needs a voucher lower than charged + price
      case UNSIGNED_CLAIM -> throw new AssertionError();
    };
    NodeMisbehavedException e = violation == Violation.CHARGE_ABOVE_VOUCHER
        ? assertThrows(NodeMisbehavedException.class, () -> ResponseCheck.settlement(ID, CHARGED,
            VOUCHER.subtract(BigInteger.ONE), PRICE, null, answer(ID, PRICE, VOUCHER, BigInteger.valueOf(1000))))
        : assertThrows(NodeMisbehavedException.class, () -> check(r));
    assertEquals(violation, e.violation(), e.getMessage());
    assertEquals(ID, e.channelId());
  }

  @Test
  void aCorrectionIsBelievedOnlyWithOurSignature() {
    ChannelState claims = new ChannelState(ID, BigInteger.valueOf(1000), BigInteger.ZERO, 0, BigInteger.ZERO, VOUCHER);
    assertEquals(VOUCHER, ResponseCheck.correction(ID, claims, new VoucherState(VOUCHER, SIGNER.sign(ID, VOUCHER)), SIGNER));
    String theirs = VoucherSigner.create(PrivateKey.random(), SIGNER.domain()).sign(ID, VOUCHER);
    assertEquals(Violation.UNSIGNED_CLAIM, assertThrows(NodeMisbehavedException.class,
        () -> ResponseCheck.correction(ID, claims, new VoucherState(VOUCHER, theirs), SIGNER)).violation());
    assertEquals(Violation.UNSIGNED_CLAIM, assertThrows(NodeMisbehavedException.class,
        () -> ResponseCheck.correction(ID, claims, null, SIGNER)).violation(), "no voucher, no debt");
    BigInteger lower = CHARGED;
    assertEquals(Violation.CHARGE_ABOVE_VOUCHER, assertThrows(NodeMisbehavedException.class,
        () -> ResponseCheck.correction(ID, claims, new VoucherState(lower, SIGNER.sign(ID, lower)), SIGNER)).violation());
    ChannelState fresh = new ChannelState(ID, BigInteger.ZERO, BigInteger.ZERO, 0, BigInteger.ZERO, BigInteger.ZERO);
    assertEquals(BigInteger.ZERO, ResponseCheck.correction(ID, fresh, null, SIGNER), "owing nothing needs no proof");
  }
}
