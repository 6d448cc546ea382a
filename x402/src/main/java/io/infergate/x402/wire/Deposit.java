package io.infergate.x402.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.x402.crypto.Bytes32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The deposit half of a {@code deposit} payload: how much to move into the channel and the payer's token
 * authorization, exactly one of ERC-3009 ({@link Erc3009Authorization}) or Permit2 (kept as raw JSON; Infergate
 * relays ERC-3009 deposits).
 *
 * @param amount tokens to deposit (uint128)
 * @param erc3009Authorization the ERC-3009 authorization, or null
 * @param permit2Authorization the Permit2 authorization as sent, or null
 */
public record Deposit(BigInteger amount, Erc3009Authorization erc3009Authorization, JsonNode permit2Authorization) {
  public Deposit {
    Objects.requireNonNull(amount, "amount");
    if ((erc3009Authorization == null) == (permit2Authorization == null)) {
      throw new IllegalArgumentException("a deposit carries exactly one of erc3009Authorization and permit2Authorization");
    }
  }

  /**
   * An ERC-3009 {@code receiveWithAuthorization} from the payer to the deposit collector; its nonce is derived
   * from (channelId, salt), see {@code Erc3009.depositNonce}.
   *
   * @param validAfter unix seconds
   * @param validBefore unix seconds
   * @param salt the per-deposit salt
   * @param signature the payer's signature under the token's domain, as sent
   */
  public record Erc3009Authorization(BigInteger validAfter, BigInteger validBefore, Bytes32 salt, String signature) {
    public Erc3009Authorization {
      Objects.requireNonNull(validAfter, "validAfter");
      Objects.requireNonNull(validBefore, "validBefore");
      Objects.requireNonNull(salt, "salt");
      Objects.requireNonNull(signature, "signature");
    }
  }
}
