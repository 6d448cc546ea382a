package io.infergate.x402.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a receipt sits in a root committed to {@code ReceiptAnchor}, as {@code GET /v1/receipts/{id}/proof}
 * serves it. A verifier recomputes the root from the receipt's digest and {@link #proof} and compares it with
 * {@code ReceiptAnchor.commitmentFor(provider, signer, seq).root} read from the chain (or asks the contract's
 * {@code verifyReceipt}); the {@link #root} given here is only a hint.
 *
 * @param receiptId the receipt's id (its digest)
 * @param seq the receipt's number in the signer's stream
 * @param provider the registry provider the stream belongs to
 * @param signer the receipt key
 * @param proof sibling hashes from the leaf up
 * @param root the committed root
 * @param firstSeq first receipt the root covers
 * @param lastSeq last receipt the root covers
 * @param commitmentIndex the commitment's position in the stream on chain
 * @param anchor the {@code ReceiptAnchor} address
 * @param chainId the chain
 * @param transaction the commit transaction's hash
 * @param blockNumber the block that included it
 */
public record ReceiptProof(String receiptId, long seq, Address provider, Address signer, List<Bytes32> proof,
    Bytes32 root, long firstSeq, long lastSeq, long commitmentIndex, Address anchor, long chainId,
    String transaction, long blockNumber) {
  public ReceiptProof {
    Objects.requireNonNull(receiptId, "receiptId");
    proof = List.copyOf(proof);
    if (seq < firstSeq || seq > lastSeq) {
      throw new IllegalArgumentException("seq " + seq + " is outside the committed range " + firstSeq + ".." + lastSeq);
    }
  }

  /** Whether {@link #proof} leads from {@code digest} to {@link #root}. */
  public boolean leadsToRoot(Bytes32 digest) {
    return ReceiptMerkleTree.computeRoot(digest, proof).equals(root);
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("receiptId", receiptId);
    o.put("seq", seq);
    o.put("provider", provider.toChecksumString());
    o.put("signer", signer.toChecksumString());
    o.put("leaf", ReceiptMerkleTree.leafOf(Bytes32.parse(receiptId)).toString());
    ArrayNode p = o.putArray("proof");
    proof.forEach(b -> p.add(b.toString()));
    o.put("root", root.toString());
    o.put("firstSeq", firstSeq);
    o.put("lastSeq", lastSeq);
    o.put("commitmentIndex", commitmentIndex);
    o.put("anchor", anchor.toChecksumString());
    o.put("chainId", chainId);
    o.put("transaction", transaction);
    o.put("blockNumber", blockNumber);
    return o;
  }

  /**
   * Parses a served proof.
   *
   * @throws ReceiptFormatException naming what is wrong
   */
  public static ReceiptProof fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new ReceiptFormatException("a receipt proof is a JSON object");
    }
    try {
      List<Bytes32> proof = new ArrayList<>();
      JsonNode p = o.get("proof");
      if (p == null || !p.isArray()) {
        throw new ReceiptFormatException("$.proof must be an array of 0x-hex hashes");
      }
      p.forEach(n -> proof.add(Bytes32.parse(n.asText())));
      return new ReceiptProof(req(o, "receiptId").asText(), req(o, "seq").asLong(),
          Address.parse(req(o, "provider").asText()), Address.parse(req(o, "signer").asText()), proof,
          Bytes32.parse(req(o, "root").asText()), req(o, "firstSeq").asLong(), req(o, "lastSeq").asLong(),
          req(o, "commitmentIndex").asLong(), Address.parse(req(o, "anchor").asText()), req(o, "chainId").asLong(),
          req(o, "transaction").asText(), req(o, "blockNumber").asLong());
    } catch (IllegalArgumentException e) {
      throw new ReceiptFormatException("receipt proof: " + e.getMessage());
    }
  }

  private static JsonNode req(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new ReceiptFormatException("$." + name + " is missing from the receipt proof");
    }
    return v;
  }
}
