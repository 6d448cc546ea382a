package io.infergate.contracts.devchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.toolchain.Toolchain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;

class DevChainTest {

    @Test
    void twoChainsOnFreePortsWithFundedKeysAndAControllableClock() throws Exception {
        try (DevChain a = DevChain.start(); DevChain b = DevChain.start()) {
            assertNotEquals(a.rpcUrl(), b.rpcUrl(), "each chain gets its own port");
            assertEquals(BigInteger.valueOf(31337), a.web3j().ethChainId().send().getChainId());
            assertEquals(DevChainOptions.DEFAULT_ACCOUNTS, a.devPrivateKeys().size());
            String first = a.devAccount(0).getAddress();
            assertTrue(a.web3j().ethGetBalance(first, DefaultBlockParameterName.LATEST).send().getBalance()
                    .signum() > 0, "dev account funded");

            long before = latestTimestamp(a);
            a.advanceTime(3600);
            assertTrue(latestTimestamp(a) >= before + 3600, "clock moved an hour");

            a.setCode("0x00000000000000000000000000000000000000aa", "0x6000");
            assertEquals("0x6000", a.web3j().ethGetCode("0x00000000000000000000000000000000000000aa",
                    DefaultBlockParameterName.LATEST).send().getCode());
        }
    }

    @Test
    void closeStopsTheNode() {
        DevChain chain = DevChain.start();
        chain.close();
        assertFalse(chain.isRunning());
    }

    @Test
    void aChainThatCannotStartSaysWhy(@TempDir Path tools) throws Exception {
        Path anvil = tools.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        Files.createDirectories(anvil.getParent());
        Files.writeString(anvil, "#!/bin/sh\necho 'error: address in use' >&2\nexit 1\n");
        anvil.toFile().setExecutable(true);
        DevChainFailure e = assertThrows(DevChainFailure.class,
                () -> DevChain.start(Toolchain.at(tools), DevChainOptions.defaults()));
        assertTrue(e.getMessage().contains("anvil"), e.getMessage());
    }

    private static long latestTimestamp(DevChain chain) throws Exception {
        return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                .getTimestamp().longValueExact();
    }
}
