package io.infergate.host.payments.chain;

import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The arithmetic of replacement fees (the chain-level behaviour is in {@link ClaimReplacementTest}). */
class FeeBumpTest {
  private static final FeeBump.Fees STUCK = new FeeBump.Fees(valueOf(3_000_000_000L), valueOf(1_000_000_000L));

  @Test
  void bothFeesRiseByAtLeastAnEighthRoundedUpAndAtLeastOneWei() {
    assertEquals(valueOf(1_125), FeeBump.bumped(valueOf(1_000)));
    assertEquals(valueOf(9), FeeBump.bumped(valueOf(8)));
    assertEquals(valueOf(11), FeeBump.bumped(valueOf(9)), "9 * 1.125 = 10.125, rounded up");
    assertEquals(BigInteger.ONE, FeeBump.bumped(BigInteger.ZERO));
    FeeBump.Fees quiet = FeeBump.replacement(STUCK, BigInteger.ONE, BigInteger.ONE, Optional.empty()).orElseThrow();
    assertEquals(new FeeBump.Fees(valueOf(3_375_000_000L), valueOf(1_125_000_000L)), quiet);
  }

  @Test
  void aRisenBaseFeeIsPaidLikeANewTransactionWould() {
    FeeBump.Fees r = FeeBump.replacement(STUCK, valueOf(50_000_000_000L), valueOf(2_000_000_000L), Optional.empty())
        .orElseThrow();
    assertEquals(new FeeBump.Fees(valueOf(102_000_000_000L), valueOf(2_000_000_000L)), r);
  }

  @Test
  void theCapLimitsTheFeeCapAndRefusesWhenNoValidBumpFits() {
    FeeBump.Fees capped = FeeBump.replacement(STUCK, valueOf(50_000_000_000L), valueOf(2_000_000_000L),
        Optional.of(valueOf(4_000_000_000L))).orElseThrow();
    assertEquals(valueOf(4_000_000_000L), capped.maxFeePerGas());
    assertTrue(capped.maxPriorityFeePerGas().compareTo(capped.maxFeePerGas()) <= 0);
    assertEquals(Optional.empty(), FeeBump.replacement(STUCK, BigInteger.ONE, BigInteger.ONE,
        Optional.of(valueOf(3_374_999_999L))));
  }
}
