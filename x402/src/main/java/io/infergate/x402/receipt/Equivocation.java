package io.infergate.x402.receipt;

import io.infergate.x402.crypto.Address;
import java.util.Optional;

/**
 * Proof that a node misbehaved: two receipts signed by one key for the same request ({@code requestHash}), the
 * same code and weights ({@code pluginCid}, {@code modelCid}) under the same runtime profile
 * ({@code runtimeProfileHash}), but with different {@code responseHash}. Under one runtime profile the
 * computation is deterministic, so at least one of the answers was not what the named model computes.
 *
 * @param signer the key that signed both
 * @param first one receipt
 * @param second the other
 */
public record Equivocation(Address signer, SignedReceipt first, SignedReceipt second) {

  /**
   * The equivocation between {@code a} and {@code b}, if they are one. Both signatures are recovered; a receipt
   * whose signature does not recover proves nothing and yields empty.
   */
  public static Optional<Equivocation> between(SignedReceipt a, SignedReceipt b) {
    InferenceReceipt x = a.receipt();
    InferenceReceipt y = b.receipt();
    if (!x.requestHash().equals(y.requestHash()) || !x.pluginCid().equals(y.pluginCid())
        || !x.modelCid().equals(y.modelCid()) || !x.runtimeProfileHash().equals(y.runtimeProfileHash())
        || !x.service().equals(y.service()) || x.responseHash().equals(y.responseHash())) {
      return Optional.empty();
    }
    Address signerA;
    Address signerB;
    try {
      signerA = a.signer();
      signerB = b.signer();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return signerA.equals(signerB) ? Optional.of(new Equivocation(signerA, a, b)) : Optional.empty();
  }
}
