/**
 * The cryptographic primitives of the payment protocol, fast and strict: {@link
 * io.infergate.x402.crypto.Keccak256}, {@link io.infergate.x402.crypto.Address} (EIP-55),
 * {@link io.infergate.x402.crypto.Bytes32}, {@link io.infergate.x402.crypto.Signature}
 * (65-byte {@code r‖s‖v}, parsed strictly) and the {@link io.infergate.x402.crypto.Secp256k1}
 * facade over libsecp256k1 (JNI, {@code fr.acinq.secp256k1}) with {@link
 * io.infergate.x402.crypto.PrivateKey}.
 *
 * <p>Start at {@code Secp256k1}: {@code sign(digest, key)} always produces low-s with {@code v ∈ {27, 28}};
 * {@code recover(digest, signature)} refuses anything an EVM contract using OpenZeppelin's {@code ECDSA}
 * would refuse (high s, other {@code v}, bad lengths, {@code r}/{@code s} out of range), each with its own
 * {@link io.infergate.x402.crypto.InvalidSignatureException} message.
 */
package io.infergate.x402.crypto;
