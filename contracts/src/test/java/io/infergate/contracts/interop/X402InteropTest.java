package io.infergate.contracts.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.contracts.chain.ChainFixture;
import io.infergate.contracts.eip712.X402TypedData;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.toolchain.Toolchain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Stock x402 peers against Infergate's contracts: the npm reference client ({@code @x402/evm} 2.27.0) opens a
 * channel with an ERC-3009 deposit and signs vouchers; the reference facilitator verifies and submits the deposit
 * to the contract at the canonical address, then claims, settles and refunds with its own EIP-712 signatures; Java
 * checks ids and digests byte for byte and claims the client's last voucher directly. See
 * {@code src/test/js/x402-reference-peer.mjs}.
 */
class X402InteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChainFixture f;

    @BeforeAll
    static void start() {
        f = new ChainFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void referenceClientAndFacilitatorWorkAgainstOurContract() throws Exception {
        BigInteger deposit = BigInteger.valueOf(100_000);
        BigInteger price = BigInteger.valueOf(1000);
        BigInteger secondCumulative = BigInteger.valueOf(2000);
        BigInteger refund = BigInteger.valueOf(10_000);
        BigInteger thirdCumulative = BigInteger.valueOf(3000);
        byte[] salt = ChainFixture.salt(0x402);
        f.tokenAs(f.facilitator).mint(f.payer.getAddress(), deposit).send();

        JsonNode out = runReferencePeer(Map.ofEntries(
                Map.entry("rpcUrl", f.chain.rpcUrl()),
                Map.entry("chainId", f.chain.chainId()),
                Map.entry("token", f.contracts.token()),
                Map.entry("tokenName", "Infergate Dev USD"),
                Map.entry("tokenVersion", "1"),
                Map.entry("payerKey", f.chain.devPrivateKeys().get(2)),
                Map.entry("sessionKey", Numeric.toHexStringWithPrefixZeroPadded(
                        f.session.getEcKeyPair().getPrivateKey(), 64)),
                Map.entry("facilitatorKey", f.chain.devPrivateKeys().get(5)),
                Map.entry("receiverAuthorizerKey", f.chain.devPrivateKeys().get(1)),
                Map.entry("refundAmount", refund.toString()),
                Map.entry("thirdCumulative", thirdCumulative.toString()),
                Map.entry("receiverAuthorizer", f.receiverAuthorizer.getAddress()),
                Map.entry("receiver", f.receiver),
                Map.entry("salt", Numeric.toHexString(salt)),
                Map.entry("price", price.toString()),
                Map.entry("depositAmount", deposit.toString()),
                Map.entry("secondCumulative", secondCumulative.toString())));

        System.out.println("x402 reference peer: " + out);
        BatchSettlement.ChannelConfig config = f.config(salt);
        BatchSettlement settlement = f.settlementAs(f.receiverAuthorizer);
        byte[] onChainId = settlement.getChannelId(config).send();
        assertArrayEquals(onChainId, Numeric.hexStringToByteArray(out.path("channelId").asText()),
                "reference client's channel id == contract's");
        assertArrayEquals(onChainId, f.channelId(config), "Java channel id == contract's");

        assertTrue(out.path("depositVerified").path("isValid").asBoolean(),
                "reference facilitator accepts the deposit: " + out.path("depositVerified"));
        assertTrue(out.path("depositSettled").path("success").asBoolean(),
                "reference facilitator submitted the deposit: " + out.path("depositSettled"));
        assertEquals(deposit.toString(), out.path("depositSettled").path("extra").path("channelState").path("balance")
                .asText(), "escrowed on chain, as the facilitator read it back");

        JsonNode voucher = out.path("depositPayload").path("voucher");
        assertEquals(price.toString(), voucher.path("maxClaimableAmount").asText());
        byte[] javaDigest = X402TypedData.voucherDigest(f.channelDomain, onChainId, price);
        assertArrayEquals(settlement.getVoucherDigest(onChainId, price).send(), javaDigest,
                "getVoucherDigest == Java digest");
        assertEquals(Keys.toChecksumAddress(f.session.getAddress()),
                recover(javaDigest, Numeric.hexStringToByteArray(voucher.path("signature").asText())),
                "client's voucher signature recovers to its session key under the Java digest");

        assertTrue(out.path("voucherVerified").path("isValid").asBoolean(),
                "reference facilitator accepts the follow-up voucher: " + out.path("voucherVerified"));

        // the reference facilitator's own ClaimBatch and Refund signatures are accepted by our contract
        assertTrue(out.path("claimed").path("success").asBoolean(), "claimWithSignature: " + out.path("claimed"));
        assertTrue(out.path("settled").path("success").asBoolean(), "settle: " + out.path("settled"));
        assertTrue(out.path("refunded").path("success").asBoolean(), "refundWithSignature: " + out.path("refunded"));
        assertEquals(secondCumulative, f.balanceOf(f.receiver), "receiver paid through the facilitator's claim");
        assertEquals(BigInteger.ONE, settlement.refundNonce(onChainId).send(), "refund advanced the nonce");
        assertEquals(deposit.subtract(refund), settlement.channels(onChainId).send().component1(),
                "refund left the escrow");

        // and Java claims the client's third voucher directly
        byte[] thirdSig = Numeric.hexStringToByteArray(out.path("thirdVoucher").path("signature").asText());
        settlement.claim(List.of(new BatchSettlement.VoucherClaim(
                new BatchSettlement.Voucher(config, thirdCumulative), thirdSig, thirdCumulative))).send();
        assertEquals(thirdCumulative, settlement.channels(onChainId).send().component2(), "claimed");
        settlement.settle(f.receiver, f.contracts.token()).send();
        assertEquals(thirdCumulative, f.balanceOf(f.receiver), "receiver paid through the client's vouchers");
    }

    private static String recover(byte[] digest, byte[] sig) throws Exception {
        Sign.SignatureData data = new Sign.SignatureData(sig[64], java.util.Arrays.copyOfRange(sig, 0, 32),
                java.util.Arrays.copyOfRange(sig, 32, 64));
        return Keys.toChecksumAddress(Keys.getAddress(Sign.signedMessageHashToKey(digest, data)));
    }

    private static JsonNode runReferencePeer(Map<String, Object> input) throws Exception {
        Toolchain tools = Toolchain.locate();
        tools.nodeModules();
        Path moduleDir = Path.of(System.getProperty("infergate.contracts.dir", "")).toAbsolutePath();
        Path script = moduleDir.resolve("src/test/js/x402-reference-peer.mjs");
        Path in = Files.createTempFile("x402-peer-", ".json");
        Path log = moduleDir.resolve("target/x402-reference-peer.log");
        Files.createDirectories(log.getParent());
        Files.writeString(in, JSON.writeValueAsString(input));
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), in.toString())
                .redirectError(log.toFile());
        pb.environment().put("INFERGATE_TOOLS_DIR", tools.root().toString());
        Process node = pb.start();
        String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(2, TimeUnit.MINUTES), "reference peer timed out");
        assertEquals(0, node.exitValue(), "reference peer failed: " + Files.readString(log) + "\n" + stdout);
        String[] lines = stdout.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
