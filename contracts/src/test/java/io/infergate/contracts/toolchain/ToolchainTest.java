package io.infergate.contracts.toolchain;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolchainTest {

    @Test
    void missingNodeModulesSaysHowToInstall(@TempDir Path tools) throws Exception {
        Files.writeString(tools.resolve("package.json"), "{}");
        Toolchain toolchain = Toolchain.at(tools);
        ToolchainMissing e = assertThrows(ToolchainMissing.class, toolchain::anvil);
        assertTrue(e.getMessage().contains("npm ci --prefix tools"), e.getMessage());
        assertTrue(e.getMessage().contains("anvil"), e.getMessage());
        assertThrows(ToolchainMissing.class, toolchain::forge);
        assertThrows(ToolchainMissing.class, toolchain::solcShim);
        assertThrows(ToolchainMissing.class, toolchain::nodeModules);
    }

    @Test
    void locatesThePinnedToolchain() {
        Toolchain toolchain = Toolchain.locate();
        assertTrue(Files.isExecutable(toolchain.anvil()), "anvil from npm");
        assertTrue(Files.isExecutable(toolchain.forge()), "forge from npm");
        assertTrue(Files.isExecutable(toolchain.solcShim()), "solc shim");
    }
}
