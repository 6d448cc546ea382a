package io.infergate.contracts.chain;

import static io.infergate.contracts.chain.ChainFixture.salt;
import static java.math.BigInteger.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infergate.contracts.generated.BatchSettlement;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Measures gas from real transaction receipts on anvil: a channel deposit, batched claims over 1, 10 and 100
 * channels (signed batch, then a direct follow-up claim), and settle. Writes {@code target/gas-report.md}, which
 * {@code sdk-docs/contracts.md} quotes. It checks the batches' effects, not the numbers (those are measured).
 */
class GasReportTest {
    private static ChainFixture f;
    private static final AtomicLong SALTS = new AtomicLong(50_000);

    @BeforeAll
    static void start() {
        f = new ChainFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void gasPerChannelInBatchesOf1_10_100() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("| operation | gas used (tx) | gas per channel |\n|---|---:|---:|\n");

        BatchSettlement.ChannelConfig single = f.config(salt(SALTS.incrementAndGet()));
        f.tokenAs(f.facilitator).mint(f.payer.getAddress(), valueOf(2_000_000)).send();
        BatchSettlement facilitator = f.settlementAs(f.facilitator);
        TransactionReceipt open = facilitator.deposit(single, valueOf(1_000_000), f.contracts.erc3009Collector(),
                Numeric.hexStringToByteArray(f.erc3009CollectorData(single, valueOf(1_000_000), valueOf(1), f.payer)))
                .send();
        TransactionReceipt topUp = facilitator.deposit(single, valueOf(1_000_000), f.contracts.erc3009Collector(),
                Numeric.hexStringToByteArray(f.erc3009CollectorData(single, valueOf(1_000_000), valueOf(2), f.payer)))
                .send();
        row(report, "deposit via ERC-3009 collector (opens channel)", open.getGasUsed(), 1);
        row(report, "deposit via ERC-3009 collector (top-up)", topUp.getGasUsed(), 1);

        BatchSettlement receiverSide = f.settlementAs(f.receiverAuthorizer);
        for (int n : new int[] {1, 10, 100}) {
            List<BatchSettlement.ChannelConfig> channels = openChannels(n, valueOf(10_000));
            List<BatchSettlement.VoucherClaim> rows = new ArrayList<>();
            for (BatchSettlement.ChannelConfig c : channels) {
                rows.add(f.voucherClaim(c, valueOf(5000), valueOf(4000), f.session));
            }
            byte[] digest = facilitator.getClaimBatchDigest(rows).send();
            byte[] auth = io.infergate.contracts.eip712.X402TypedData.sign(digest, f.receiverAuthorizer);
            TransactionReceipt signed = facilitator.claimWithSignature(rows, auth).send();
            row(report, "claimWithSignature, batch of " + n + " channels", signed.getGasUsed(), n);

            List<BatchSettlement.VoucherClaim> more = new ArrayList<>();
            for (BatchSettlement.ChannelConfig c : channels) {
                more.add(f.voucherClaim(c, valueOf(6000), valueOf(6000), f.session));
            }
            TransactionReceipt direct = receiverSide.claim(more).send();
            row(report, "claim (receiver side), batch of " + n + " channels", direct.getGasUsed(), n);
            for (BatchSettlement.ChannelConfig c : channels) {
                assertEquals(valueOf(6000), receiverSide.channels(f.channelId(c)).send().component2(), "claimed");
            }
        }
        TransactionReceipt settle = facilitator.settle(f.receiver, f.contracts.token()).send();
        row(report, "settle (receiver, token)", settle.getGasUsed(), 1);
        assertEquals(valueOf(6000L * 111), f.balanceOf(f.receiver), "every claim settled once");

        byte[] id = f.channelId(single);
        byte[] refundAuth = io.infergate.contracts.eip712.X402TypedData.sign(
                io.infergate.contracts.eip712.X402TypedData.refundDigest(f.channelDomain, id, BigInteger.ZERO,
                        valueOf(500_000)), f.receiverAuthorizer);
        row(report, "refundWithSignature", facilitator.refundWithSignature(single, valueOf(500_000), BigInteger.ZERO,
                refundAuth).send().getGasUsed(), 1);
        BatchSettlement asPayer = f.settlementAs(f.payer);
        row(report, "initiateWithdraw", asPayer.initiateWithdraw(single, valueOf(500_000)).send().getGasUsed(), 1);
        f.chain.advanceTime(ChainFixture.WITHDRAW_DELAY.longValueExact());
        row(report, "finalizeWithdraw", asPayer.finalizeWithdraw(single).send().getGasUsed(), 1);

        Path out = Path.of(System.getProperty("infergate.contracts.dir", "")).toAbsolutePath()
                .resolve("target/gas-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("gas report (" + out + "):\n" + report);
    }

    /** Opens {@code n} channels of {@code amount} each, depositing through multicall in chunks of 50. */
    private static List<BatchSettlement.ChannelConfig> openChannels(int n, BigInteger amount) throws Exception {
        f.tokenAs(f.facilitator).mint(f.payer.getAddress(), amount.multiply(valueOf(n))).send();
        BatchSettlement facilitator = f.settlementAs(f.facilitator);
        List<BatchSettlement.ChannelConfig> channels = new ArrayList<>();
        List<byte[]> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BatchSettlement.ChannelConfig c = f.config(salt(SALTS.incrementAndGet()));
            channels.add(c);
            byte[] data = Numeric.hexStringToByteArray(f.erc3009CollectorData(c, amount, valueOf(i), f.payer));
            calls.add(Numeric.hexStringToByteArray(
                    facilitator.deposit(c, amount, f.contracts.erc3009Collector(), data).encodeFunctionCall()));
            if (calls.size() == 50 || i == n - 1) {
                facilitator.multicall(calls).send();
                calls = new ArrayList<>();
            }
        }
        return channels;
    }

    private static void row(StringBuilder report, String op, BigInteger gas, int channels) {
        report.append(String.format(Locale.ROOT, "| %s | %,d | %,d |%n", op, gas, gas.divide(valueOf(channels))));
    }
}
