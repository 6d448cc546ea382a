package io.infergate.host.receipts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.receipt.SignedReceipt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A receipt as the node serves it: the signed EIP-712 document ({@link SignedReceipt#toJson()}) plus, unsigned
 * and informational, {@code runtimeProfile}: the canonical profile JSON whose keccak256 is the signed
 * {@code runtimeProfileHash}. The profile is the node's own canonical JSON, so it is written as it is stored,
 * without being parsed again.
 */
public record StoredReceipt(SignedReceipt receipt, Optional<String> runtimeProfile) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The served document ({@code GET /v1/receipts/{id}} and the {@code PAYMENT-RESPONSE} extension), as a tree. */
  public ObjectNode toJson() {
    try {
      return (ObjectNode) JSON.readTree(toJsonBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("stored runtime profile is not JSON: " + runtimeProfile.orElse(""), e);
    }
  }

  /** The served document as compact UTF-8. */
  public byte[] toJsonBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a receipt to memory", e);
    }
    return out.toByteArray();
  }

  /** Writes the served document as the next value of {@code g}: what the paid path puts in its answer. */
  public void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    receipt.writeMembers(g);
    if (runtimeProfile.isPresent()) {
      g.writeFieldName("runtimeProfile");
      g.writeRawValue(runtimeProfile.get());
    }
    g.writeEndObject();
  }

  public String id() {
    return receipt.id();
  }
}
