package io.infergate.contracts.forge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infergate.contracts.toolchain.Toolchain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the Solidity unit, fuzz and invariant tests ({@code src/test/solidity}) with the pinned forge, offline, on
 * the pinned solc-js, so {@code mvn verify} covers them. The full forge output is in
 * {@code target/forge/forge-test.log}.
 */
class ForgeSuiteTest {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) tests passed, (\\d+) failed, (\\d+) skipped");

    @Test
    void solidityTestsPass() throws Exception {
        Toolchain tools = Toolchain.locate();
        Path moduleDir = Path.of(System.getProperty("infergate.contracts.dir", "")).toAbsolutePath();
        Path log = moduleDir.resolve("target/forge/forge-test.log");
        Files.createDirectories(log.getParent());
        Process forge = new ProcessBuilder(List.of(tools.forge().toString(), "test", "--offline",
                        "--use", tools.solcShim().toString(), "--color", "never"))
                .directory(moduleDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(forge.waitFor(10, TimeUnit.MINUTES), "forge test did not finish in 10 minutes; see " + log);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Matcher summary = SUMMARY.matcher(output);
        String tail = output.substring(Math.max(0, output.length() - 4000));
        assertEquals(0, forge.exitValue(), "forge test failed (full log: " + log + "):\n" + tail);
        assertTrue(summary.find(), "no forge summary line in " + log);
        System.out.println("forge: " + summary.group());
        assertEquals("0", summary.group(2), "forge reported failures:\n" + tail);
        assertTrue(Integer.parseInt(summary.group(1)) >= 40, "forge ran fewer tests than expected:\n" + tail);
    }
}
