package io.infergate.host.receipts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.receipt.SignedReceipt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A receipt as the node serves it: the signed EIP-712 document ({@link SignedReceipt#toJson()}) plus, unsigned
 * and informational, {@code runtimeProfile}: the canonical profile JSON whose keccak256 is the signed
 * {@code runtimeProfileHash}.
 */
public record StoredReceipt(SignedReceipt receipt, Optional<String> runtimeProfile) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The served document: {@code GET /v1/receipts/{id}}, the header and the PAYMENT-RESPONSE extension. */
  public ObjectNode toJson() {
    ObjectNode o = receipt.toJson();
    runtimeProfile.ifPresent(p -> {
      try {
        o.set("runtimeProfile", JSON.readTree(p));
      } catch (IOException e) {
        throw new UncheckedIOException("stored runtime profile is not JSON: " + p, e);
      }
    });
    return o;
  }

  /** {@link #toJson()} as compact UTF-8. */
  public byte[] toJsonBytes() {
    return toJson().toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code Infergate-Receipt} header value: base64 of {@link #toJsonBytes()}. */
  public String toHeader() {
    return Base64.getEncoder().encodeToString(toJsonBytes());
  }

  public String id() {
    return receipt.id();
  }
}
