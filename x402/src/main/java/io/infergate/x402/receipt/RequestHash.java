package io.infergate.x402.receipt;

import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Keccak256;
import io.infergate.x402.eip712.AbiWord;
import java.nio.charset.StandardCharsets;

/**
 * The {@code requestHash} of a receipt: the EIP-712 {@code hashStruct} of {@link #TYPE}, so any EIP-712 library
 * computes it from the request a consumer kept:
 *
 * <ul>
 *   <li>{@code service}: the service (OIP model) name;
 *   <li>{@code path}: the HTTP path as requested, without query (e.g. {@code /v2/models/text-embedding/infer},
 *       {@code /v1/services/text-embedding});
 *   <li>{@code inferenceHeaderLength}: the OIP binary extension's {@code Inference-Header-Content-Length}, 0 when
 *       the request had none (plain JSON);
 *   <li>{@code body}: the request body bytes exactly as sent (hashed, as EIP-712 does for {@code bytes}).
 * </ul>
 *
 * Hashing the bytes as sent (not a re-encoding of the decoded tensors) keeps the rule trivial to implement and
 * leaves no room for two encoders to disagree; two requests that differ only in JSON whitespace are different
 * requests.
 */
public final class RequestHash {
  /** The EIP-712 type of the canonical request. */
  public static final String TYPE =
      "InferenceRequest(string service,string path,uint64 inferenceHeaderLength,bytes body)";
  private static final byte[] TYPEHASH = Keccak256.hash(TYPE);

  private RequestHash() {}

  /** The request hash of {@code body} (bytes {@code off..off+len}) sent to {@code path} for {@code service}. */
  public static Bytes32 of(String service, String path, long inferenceHeaderLength, byte[] body, int off, int len) {
    byte[] buf = new byte[5 * 32];
    System.arraycopy(TYPEHASH, 0, buf, 0, 32);
    byte[] s = service.getBytes(StandardCharsets.UTF_8);
    Keccak256.hash(s, 0, s.length, buf, 32);
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    Keccak256.hash(p, 0, p.length, buf, 64);
    AbiWord.writeUint(inferenceHeaderLength, 64, "inferenceHeaderLength", buf, 96);
    Keccak256.hash(body, off, len, buf, 128);
    return Bytes32.of(Keccak256.hash(buf));
  }

  /** The request hash of the whole {@code body}. */
  public static Bytes32 of(String service, String path, long inferenceHeaderLength, byte[] body) {
    return of(service, path, inferenceHeaderLength, body, 0, body.length);
  }
}
