package io.infergate.contracts.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.generated.ReceiptAnchor;
import io.infergate.contracts.generated.ServiceRegistry;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/** A provider registers a service, its receipt signer anchors a Merkle root, a verifier proves one receipt. */
class RegistryAndAnchorTest {
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
    void registerServiceAnchorReceiptsAndProveOne() throws Exception {
        Credentials provider = f.chain.devAccount(3);
        Credentials signer = f.chain.devAccount(4);
        ServiceRegistry registry = ServiceRegistry.load(f.contracts.serviceRegistry(), f.web3j,
                f.txManager(provider), f.gas());
        ServiceRegistry.ServiceTerms terms = new ServiceRegistry.ServiceTerms("text-embedding",
                "bafkreiplugincid", List.of("bafkreimodelcid"), BigInteger.valueOf(1000), f.contracts.token(),
                provider.getAddress(), f.receiverAuthorizer.getAddress(), "http://127.0.0.1:8080",
                signer.getAddress());
        registry.register(terms).send();
        byte[] id = registry.serviceId(provider.getAddress(), "text-embedding").send();
        ServiceRegistry.Service stored = registry.getService(id).send();
        assertTrue(stored.active);
        assertEquals(List.of("bafkreimodelcid"), stored.terms.modelCids);
        assertEquals(BigInteger.valueOf(1000), stored.terms.maxPricePerCall);
        assertTrue(registry.isReceiptSigner(provider.getAddress(), signer.getAddress()).send());

        // two receipts, seq 0 and 1: leaves are keccak(digest), the root is the sorted pair
        byte[] d0 = Hash.sha3("receipt-0".getBytes());
        byte[] d1 = Hash.sha3("receipt-1".getBytes());
        byte[] l0 = Hash.sha3(d0);
        byte[] l1 = Hash.sha3(d1);
        byte[] root = Hash.sha3(concatSorted(l0, l1));
        ReceiptAnchor anchor = ReceiptAnchor.load(f.contracts.receiptAnchor(), f.web3j, f.txManager(signer), f.gas());
        anchor.commit(provider.getAddress(), root, BigInteger.ZERO, BigInteger.ONE).send();
        assertArrayEquals(l0, anchor.leafOf(d0).send(), "leaf = keccak256(receipt digest)");
        assertTrue(anchor.verifyReceipt(provider.getAddress(), signer.getAddress(), BigInteger.ONE, d1,
                List.of(l0)).send());
        assertFalse(anchor.verifyReceipt(provider.getAddress(), signer.getAddress(), BigInteger.ONE,
                Hash.sha3("forged".getBytes()), List.of(l0)).send());

        ReceiptAnchor stranger = ReceiptAnchor.load(f.contracts.receiptAnchor(), f.web3j,
                f.txManager(f.payer), f.gas());
        f.assertReverts(ReceiptAnchor.NOTRECEIPTSIGNER_ERROR, f.payer.getAddress(), f.contracts.receiptAnchor(),
                stranger.commit(provider.getAddress(), root, BigInteger.TWO, BigInteger.TWO).encodeFunctionCall());
        f.assertReverts(ReceiptAnchor.RANGEOVERLAPS_ERROR, signer.getAddress(), f.contracts.receiptAnchor(),
                anchor.commit(provider.getAddress(), root, BigInteger.ONE, BigInteger.TWO).encodeFunctionCall());
    }

    private static byte[] concatSorted(byte[] a, byte[] b) {
        boolean aFirst = new BigInteger(1, a).compareTo(new BigInteger(1, b)) < 0;
        byte[] out = new byte[64];
        System.arraycopy(aFirst ? a : b, 0, out, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, out, 32, 32);
        return out;
    }
}
