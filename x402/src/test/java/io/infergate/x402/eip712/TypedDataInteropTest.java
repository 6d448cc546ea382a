package io.infergate.x402.eip712;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.x402.X402Reference;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.crypto.Hex;
import io.infergate.x402.crypto.PrivateKey;
import io.infergate.x402.crypto.Secp256k1;
import io.infergate.x402.crypto.Signature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every batch-settlement digest against viem's generic {@code hashTypedData} and {@code @x402/evm}'s own
 * {@code computeChannelId} / {@code signVoucher}, on random inputs (the seed is in every failure message).
 */
class TypedDataInteropTest {
  static final Address CANONICAL = Address.parse("0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003");
  private static final long SEED = System.nanoTime();
  private static X402Reference js;
  private final Random random = new Random(SEED);

  @BeforeAll
  static void start() {
    js = X402Reference.start();
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @Test
  void domainSeparatorMatchesTheEip712SpecExample() {
    // EIP-712, "Example" (assets/eip-712/Example.js): domain {Ether Mail, 1, chainId 1, 0xCcCC…cCCC}
    // has separator 0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f.
    Eip712Domain d = Eip712Domain.create("Ether Mail", "1", 1,
        Address.parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
    assertEquals("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", d.separator().toString());
  }

  @Test
  void everyDigestMatchesViemAndTheReferenceClient() {
    long chainId = random.nextBoolean() ? 31337 : 1 + random.nextInt(1 << 30);
    Address contract = random.nextBoolean() ? CANONICAL : randomAddress();
    Eip712Domain domain = Eip712Domain.batchSettlement(chainId, contract);
    ObjectNode req = X402Reference.request("hashes").put("chainId", chainId).put("contract", contract.toString());

    List<ChannelConfig> configs = new ArrayList<>();
    ArrayNode cs = req.putArray("configs");
    for (int i = 0; i < 20; i++) {
      ChannelConfig c = new ChannelConfig(randomAddress(), i % 5 == 0 ? Address.ZERO : randomAddress(),
          randomAddress(), randomAddress(), randomAddress(),
          i == 1 ? (1L << 40) - 1 : ChannelConfig.MIN_WITHDRAW_DELAY + random.nextInt(2_592_000),
          i == 2 ? Bytes32.ZERO : randomBytes32());
      configs.add(c);
      cs.add(configJson(c));
    }
    List<Bytes32> ids = new ArrayList<>();
    List<BigInteger> amounts = new ArrayList<>();
    ArrayNode vs = req.putArray("vouchers");
    for (int i = 0; i < 20; i++) {
      Bytes32 id = randomBytes32();
      BigInteger amount = randomUint(i == 0 ? 0 : i == 1 ? 128 : 1 + random.nextInt(128), i == 1);
      ids.add(id);
      amounts.add(amount);
      vs.addObject().put("channelId", id.toString()).put("maxClaimableAmount", amount.toString());
    }
    List<BigInteger[]> refunds = new ArrayList<>();
    ArrayNode rs = req.putArray("refunds");
    for (int i = 0; i < 10; i++) {
      BigInteger nonce = randomUint(i == 0 ? 256 : random.nextInt(257), i == 0);
      BigInteger amount = randomUint(random.nextInt(129), false);
      refunds.add(new BigInteger[] {nonce, amount});
      rs.addObject().put("channelId", ids.get(i).toString()).put("nonce", nonce.toString()).put("amount", amount.toString());
    }
    List<List<ClaimEntry>> batches = new ArrayList<>();
    ArrayNode bs = req.putArray("claimBatches");
    for (int size : new int[] {0, 1, 2, 5, 17}) {
      List<ClaimEntry> batch = new ArrayList<>();
      ArrayNode b = bs.addArray();
      for (int i = 0; i < size; i++) {
        BigInteger max = randomUint(1 + random.nextInt(128), false);
        BigInteger claimed = max.shiftRight(random.nextInt(8));
        ClaimEntry e = new ClaimEntry(randomBytes32(), max, claimed);
        batch.add(e);
        b.addObject().put("channelId", e.channelId().toString()).put("maxClaimableAmount", max.toString())
            .put("totalClaimed", claimed.toString());
      }
      batches.add(batch);
    }
    List<Eip712Domain> tokenDomains = new ArrayList<>();
    List<Erc3009.ReceiveWithAuthorization> auths = new ArrayList<>();
    ArrayNode es = req.putArray("erc3009");
    for (int i = 0; i < 5; i++) {
      Eip712Domain td = Eip712Domain.create(i == 0 ? "USD Coin" : "Tök€n " + random.nextInt(), i == 0 ? "2" : "v" + i,
          chainId, randomAddress());
      var a = new Erc3009.ReceiveWithAuthorization(randomAddress(), randomAddress(), randomUint(1 + random.nextInt(256), false),
          BigInteger.ZERO, BigInteger.valueOf(1_770_000_000L + random.nextInt(1000)), randomBytes32());
      tokenDomains.add(td);
      auths.add(a);
      ObjectNode e = es.addObject();
      e.putObject("domain").put("name", td.name()).put("version", td.version()).put("chainId", chainId)
          .put("verifyingContract", td.verifyingContract().toString());
      e.putObject("message").put("from", a.from().toString()).put("to", a.to().toString())
          .put("value", a.value().toString()).put("validAfter", a.validAfter().toString())
          .put("validBefore", a.validBefore().toString()).put("nonce", a.nonce().toString());
    }

    JsonNode theirs = js.call(req);
    String ctx = " (chainId " + chainId + ", contract " + contract + ", seed " + SEED + ")";
    assertEquals(theirs.get("domainSeparator").asText(), domain.separator().toString(), "domain separator" + ctx);
    Eip712Domain canonical = Eip712Domain.batchSettlement(chainId, CANONICAL);
    for (int i = 0; i < configs.size(); i++) {
      JsonNode id = theirs.get("channelIds").get(i);
      assertEquals(id.get("viem").asText(), BatchSettlementTypedData.channelId(domain, configs.get(i)).toString(), "channelId " + i + ctx);
      assertEquals(id.get("x402").asText(), BatchSettlementTypedData.channelId(canonical, configs.get(i)).toString(),
          "@x402/evm computeChannelId " + i + ctx);
    }
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(theirs.get("vouchers").get(i).asText(),
          Hex.encode(BatchSettlementTypedData.voucherDigest(domain, ids.get(i), amounts.get(i))), "voucher " + i + ctx);
    }
    for (int i = 0; i < refunds.size(); i++) {
      assertEquals(theirs.get("refunds").get(i).asText(), Hex.encode(BatchSettlementTypedData.refundDigest(domain, ids.get(i),
          refunds.get(i)[0], refunds.get(i)[1])), "refund " + i + ctx);
    }
    for (int i = 0; i < batches.size(); i++) {
      assertEquals(theirs.get("claimBatches").get(i).asText(),
          Hex.encode(BatchSettlementTypedData.claimBatchDigest(domain, batches.get(i))), "claim batch of " + batches.get(i).size() + ctx);
    }
    for (int i = 0; i < auths.size(); i++) {
      assertEquals(theirs.get("erc3009").get(i).asText(),
          Hex.encode(Erc3009.receiveWithAuthorizationDigest(tokenDomains.get(i), auths.get(i))), "erc3009 " + i + ctx);
    }
  }

  @Test
  void vouchersSignedByTheReferenceClientRecoverInJavaAndJavaVouchersVerifyInViem() {
    for (int i = 0; i < 10; i++) {
      PrivateKey key = PrivateKey.random();
      long chainId = 1 + random.nextInt(100_000);
      Bytes32 channelId = randomBytes32();
      BigInteger max = randomUint(1 + random.nextInt(128), false);
      JsonNode signed = js.call(X402Reference.request("sign-voucher").put("privateKey", key.toHex())
          .put("channelId", channelId.toString()).put("maxClaimableAmount", max.toString()).put("network", "eip155:" + chainId));
      Eip712Domain domain = Eip712Domain.batchSettlement(chainId, CANONICAL);
      byte[] digest = BatchSettlementTypedData.voucherDigest(domain, channelId, max);
      assertEquals(key.address(), Secp256k1.recover(digest, Signature.parse(signed.get("signature").asText())), "seed " + SEED);

      Signature ours = key.sign(digest);
      assertEquals(signed.get("signature").asText(), ours.toHex(), "deterministic signatures agree");
      JsonNode ok = js.call(X402Reference.request("verify-voucher").put("address", key.address().toString())
          .put("chainId", chainId).put("contract", CANONICAL.toString()).put("channelId", channelId.toString())
          .put("maxClaimableAmount", max.toString()).put("signature", ours.toHex()));
      assertTrue(ok.asBoolean());
    }
  }

  @Test
  void valuesOutsideTheirSolidityTypesAreRefused() {
    Eip712Domain d = Eip712Domain.batchSettlement(1, CANONICAL);
    var e = assertThrows(IllegalArgumentException.class,
        () -> BatchSettlementTypedData.voucherDigest(d, Bytes32.ZERO, BigInteger.ONE.shiftLeft(128)));
    assertTrue(e.getMessage().contains("uint128"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BatchSettlementTypedData.voucherDigest(d, Bytes32.ZERO, BigInteger.ONE.negate()));
    assertThrows(IllegalArgumentException.class, () -> new ChannelConfig(Address.ZERO, Address.ZERO, Address.ZERO,
        Address.ZERO, Address.ZERO, 1L << 40, Bytes32.ZERO));
  }

  static ObjectNode configJson(ChannelConfig c) {
    ObjectNode o = X402Reference.request("x").objectNode();
    o.put("payer", c.payer().toString()).put("payerAuthorizer", c.payerAuthorizer().toString())
        .put("receiver", c.receiver().toString()).put("receiverAuthorizer", c.receiverAuthorizer().toString())
        .put("token", c.token().toString()).put("withdrawDelay", c.withdrawDelay()).put("salt", c.salt().toString());
    return o;
  }

  private Address randomAddress() {
    byte[] b = new byte[20];
    random.nextBytes(b);
    return Address.of(b);
  }

  private Bytes32 randomBytes32() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Bytes32.of(b);
  }

  /** A random value of at most {@code bits} bits; the maximum {@code 2^bits - 1} when {@code max}. */
  private BigInteger randomUint(int bits, boolean max) {
    return max ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE) : new BigInteger(bits, random);
  }
}
