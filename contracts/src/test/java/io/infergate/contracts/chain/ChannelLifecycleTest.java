package io.infergate.contracts.chain;

import static io.infergate.contracts.chain.ChainFixture.salt;
import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.contracts.eip712.X402TypedData;
import io.infergate.contracts.generated.BatchSettlement;
import io.infergate.contracts.generated.DevUsd;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.utils.Numeric;

/** A channel's whole life on a real anvil chain through the generated wrappers, and every way it refuses. */
class ChannelLifecycleTest {
    private static ChainFixture f;
    private static final AtomicLong SALTS = new AtomicLong(1000);

    @BeforeAll
    static void start() {
        f = new ChainFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static BatchSettlement.ChannelConfig freshChannel() {
        return f.config(salt(SALTS.incrementAndGet()));
    }

    @Test
    void javaDigestsMatchTheContract() throws Exception {
        BatchSettlement.ChannelConfig c = freshChannel();
        BatchSettlement settlement = f.settlementAs(f.facilitator);
        byte[] id = settlement.getChannelId(c).send();
        assertArrayEquals(id, f.channelId(c), "channel id");
        assertArrayEquals(settlement.getVoucherDigest(id, valueOf(12345)).send(),
                X402TypedData.voucherDigest(f.channelDomain, id, valueOf(12345)), "voucher digest");
        assertArrayEquals(settlement.getRefundDigest(id, valueOf(3), valueOf(77)).send(),
                X402TypedData.refundDigest(f.channelDomain, id, valueOf(3), valueOf(77)), "refund digest");
    }

    @Test
    void depositClaimSettle() throws Exception {
        BatchSettlement.ChannelConfig c = freshChannel();
        f.deposit(c, valueOf(1_000_000));
        byte[] id = f.channelId(c);
        BatchSettlement asReceiverAuth = f.settlementAs(f.receiverAuthorizer);
        assertEquals(valueOf(1_000_000), asReceiverAuth.channels(id).send().component1(), "balance");

        asReceiverAuth.claim(List.of(f.voucherClaim(c, valueOf(4000), valueOf(3500), f.session))).send();
        assertEquals(valueOf(3500), asReceiverAuth.channels(id).send().component2(), "claimed");

        BigInteger before = f.balanceOf(f.receiver);
        f.settlementAs(f.facilitator).settle(f.receiver, f.contracts.token()).send();
        Tuple2<BigInteger, BigInteger> r = asReceiverAuth.receivers(f.receiver, f.contracts.token()).send();
        assertEquals(r.component1(), r.component2(), "settled == claimed");
        assertEquals(before.add(r.component1().subtract(before)), f.balanceOf(f.receiver), "receiver paid");
    }

    @Test
    void refundWithSignatureThenReplayedNonceReverts() throws Exception {
        BatchSettlement.ChannelConfig c = freshChannel();
        f.deposit(c, valueOf(5000));
        byte[] id = f.channelId(c);
        BatchSettlement relayer = f.settlementAs(f.facilitator);
        BigInteger nonce = relayer.refundNonce(id).send();
        byte[] auth = X402TypedData.sign(X402TypedData.refundDigest(f.channelDomain, id, nonce, valueOf(2000)),
                f.receiverAuthorizer);
        BigInteger payerBefore = f.balanceOf(f.payer.getAddress());
        relayer.refundWithSignature(c, valueOf(2000), nonce, auth).send();
        assertEquals(payerBefore.add(valueOf(2000)), f.balanceOf(f.payer.getAddress()), "refunded to payer");
        assertEquals(nonce.add(BigInteger.ONE), relayer.refundNonce(id).send(), "nonce advanced");

        String replay = relayer.refundWithSignature(c, valueOf(2000), nonce, auth).encodeFunctionCall();
        f.assertReverts(BatchSettlement.INVALIDREFUNDNONCE_ERROR, f.facilitator.getAddress(),
                f.contracts.batchSettlement(), replay);
    }

    @Test
    void withdrawAfterDelay() throws Exception {
        BatchSettlement.ChannelConfig c = freshChannel();
        f.deposit(c, valueOf(9000));
        BatchSettlement asPayer = f.settlementAs(f.payer);
        asPayer.initiateWithdraw(c, valueOf(9000)).send();
        f.assertReverts(BatchSettlement.WITHDRAWDELAYNOTELAPSED_ERROR, f.payer.getAddress(),
                f.contracts.batchSettlement(), asPayer.finalizeWithdraw(c).encodeFunctionCall());

        // the receiver claims inside the window: the withdrawal can no longer take those funds
        f.settlementAs(f.receiverAuthorizer)
                .claim(List.of(f.voucherClaim(c, valueOf(1000), valueOf(1000), f.session))).send();
        f.chain.advanceTime(ChainFixture.WITHDRAW_DELAY.longValueExact());
        BigInteger before = f.balanceOf(f.payer.getAddress());
        asPayer.finalizeWithdraw(c).send();
        assertEquals(before.add(valueOf(8000)), f.balanceOf(f.payer.getAddress()), "unclaimed part returned");
        Tuple2<BigInteger, BigInteger> ch = asPayer.channels(f.channelId(c)).send();
        assertEquals(ch.component1(), ch.component2(), "only claimed funds remain");
    }

    @Test
    void everyRevertPath() throws Exception {
        BatchSettlement.ChannelConfig c = freshChannel();
        f.deposit(c, valueOf(1000));
        BatchSettlement s = f.settlementAs(f.receiverAuthorizer);
        String from = f.receiverAuthorizer.getAddress();
        String to = f.contracts.batchSettlement();
        byte[] id = f.channelId(c);

        BatchSettlement.VoucherClaim wrongKey = f.voucherClaim(c, valueOf(500), valueOf(500), f.payer);
        f.assertReverts(BatchSettlement.INVALIDSIGNATURE_ERROR, from, to, s.claim(List.of(wrongKey)).encodeFunctionCall());

        BatchSettlement.VoucherClaim good = f.voucherClaim(c, valueOf(500), valueOf(500), f.session);
        BatchSettlement.VoucherClaim highS = new BatchSettlement.VoucherClaim(good.voucher, toHighS(good.signature),
                good.totalClaimed);
        f.assertReverts(BatchSettlement.MALLEABLESIGNATURE_ERROR, from, to, s.claim(List.of(highS)).encodeFunctionCall());

        byte[] badV = good.signature.clone();
        badV[64] = 1;
        f.assertReverts(BatchSettlement.INVALIDSIGNATUREV_ERROR, from, to, s.claim(List.of(
                new BatchSettlement.VoucherClaim(good.voucher, badV, good.totalClaimed))).encodeFunctionCall());

        byte[] otherChain = X402TypedData.sign(X402TypedData.voucherDigest(
                X402TypedData.batchSettlementDomain(8453, to), id, valueOf(500)), f.session);
        f.assertReverts(BatchSettlement.INVALIDSIGNATURE_ERROR, from, to, s.claim(List.of(
                new BatchSettlement.VoucherClaim(good.voucher, otherChain, good.totalClaimed))).encodeFunctionCall());

        BatchSettlement.VoucherClaim aboveVoucher = f.voucherClaim(c, valueOf(500), valueOf(501), f.session);
        f.assertReverts(BatchSettlement.CLAIMEXCEEDSCEILING_ERROR, from, to,
                s.claim(List.of(aboveVoucher)).encodeFunctionCall());

        BatchSettlement.VoucherClaim aboveBalance = f.voucherClaim(c, valueOf(5000), valueOf(1001), f.session);
        f.assertReverts(BatchSettlement.CLAIMEXCEEDSBALANCE_ERROR, from, to,
                s.claim(List.of(aboveBalance)).encodeFunctionCall());

        f.assertReverts(BatchSettlement.NOTAUTHORIZEDTOCLAIM_ERROR, f.payer.getAddress(), to,
                s.claim(List.of(good)).encodeFunctionCall());

        BatchSettlement.ChannelConfig shortDelay = new BatchSettlement.ChannelConfig(c.payer, c.payerAuthorizer,
                c.receiver, c.receiverAuthorizer, c.token, valueOf(60), c.salt);
        f.assertReverts(BatchSettlement.WITHDRAWDELAYOUTOFRANGE_ERROR, from, to,
                s.deposit(shortDelay, valueOf(1), f.contracts.erc3009Collector(), new byte[0]).encodeFunctionCall());

        // a deposit authorization cannot be replayed: the token has burnt its (channel, salt) nonce
        BatchSettlement.ChannelConfig d = freshChannel();
        f.tokenAs(f.facilitator).mint(f.payer.getAddress(), valueOf(200)).send();
        byte[] data = Numeric.hexStringToByteArray(f.erc3009CollectorData(d, valueOf(100), valueOf(77), f.payer));
        f.settlementAs(f.facilitator).deposit(d, valueOf(100), f.contracts.erc3009Collector(), data).send();
        f.assertReverts(DevUsd.AUTHORIZATIONALREADYUSED_ERROR, f.facilitator.getAddress(), to,
                s.deposit(d, valueOf(100), f.contracts.erc3009Collector(), data).encodeFunctionCall());

        // and nothing above changed the channel
        assertEquals(BigInteger.ZERO, s.channels(id).send().component2(), "no claim recorded");
    }

    /** The malleable twin: s' = n - s, v flipped; recovers to the same key, which the contract must refuse. */
    static byte[] toHighS(byte[] signature) {
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        byte[] out = signature.clone();
        System.arraycopy(Numeric.toBytesPadded(n.subtract(s), 32), 0, out, 32, 32);
        out[64] = (byte) (out[64] == 27 ? 28 : 27);
        return out;
    }
}
