package io.infergate.client.receipts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.client.ClientException;
import io.infergate.x402.receipt.ReceiptFormatException;
import io.infergate.x402.receipt.ReceiptProof;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where inclusion proofs come from: the node's {@code GET /v1/receipts/{id}/proof}, or a file holding that JSON.
 * Whatever the source, the verifier only believes the root it reads from the chain.
 */
public final class ProofSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A proof, or why there is none.
   *
   * @param proof the proof, or null
   * @param missing why there is none (null when there is one)
   * @param notYet true when the node says the root is not confirmed yet (409, 425 or 503): ask again later
   */
  public record Fetched(ReceiptProof proof, String missing, boolean notYet) {
    Fetched(ReceiptProof proof, String missing) {
      this(proof, missing, false);
    }
  }

  private ProofSource() {}

  /** The proof the node serves for {@code receiptId}. */
  public static Fetched fromNode(HttpClient http, URI node, String receiptId) {
    URI url = node.resolve("/v1/receipts/" + receiptId + "/proof");
    HttpResponse<byte[]> r;
    try {
      r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Fetched(null, "cannot reach " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while fetching " + url, e);
    }
    if (r.statusCode() != 200) {
      String body = new String(r.body(), StandardCharsets.UTF_8);
      int code = r.statusCode();
      return new Fetched(null, url + " answered " + code + (body.isBlank() ? "" : ": "
          + (body.length() > 300 ? body.substring(0, 300) + "..." : body)), code == 409 || code == 425 || code == 503);
    }
    try {
      return new Fetched(ReceiptProof.fromJson(JSON.readTree(r.body())), null);
    } catch (IOException | ReceiptFormatException e) {
      return new Fetched(null, url + " served something that is not a receipt proof: " + e.getMessage());
    }
  }

  /** A proof saved to a file (the JSON {@code /v1/receipts/{id}/proof} serves). */
  public static ReceiptProof fromFile(Path file) {
    try {
      return ReceiptProof.fromJson(JSON.readTree(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new ClientException("cannot read the proof file " + file + ": " + e.getMessage());
    } catch (ReceiptFormatException e) {
      throw new ClientException(file + " is not a receipt proof: " + e.getMessage());
    }
  }
}
