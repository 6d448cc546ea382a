package io.infergate.contracts.toolchain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The pinned npm toolchain in the repository's {@code tools/} directory.
 *
 * <p>Found, in order, from the system property {@code infergate.tools.dir}, the environment variable
 * {@code INFERGATE_TOOLS_DIR}, or the nearest {@code tools/} directory holding a {@code package.json} above the
 * working directory. Binaries are checked when asked for, so a missing {@code node_modules} surfaces as one clear
 * message: run {@code npm ci --prefix tools}.
 */
public final class Toolchain {
    public static final String INSTALL_HINT = "run `npm ci --prefix tools` from the repository root";

    private final Path root;

    private Toolchain(Path root) {
        this.root = root;
    }

    /** The toolchain at an explicit directory (the one holding {@code package.json}). */
    public static Toolchain at(Path toolsDir) {
        return new Toolchain(Objects.requireNonNull(toolsDir, "toolsDir").toAbsolutePath().normalize());
    }

    /** The toolchain found from the system property, the environment, or the working directory upwards. */
    public static Toolchain locate() {
        String configured = System.getProperty("infergate.tools.dir", System.getenv("INFERGATE_TOOLS_DIR"));
        if (configured != null && !configured.isBlank()) return at(Path.of(configured));
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools");
            if (Files.isRegularFile(candidate.resolve("package.json"))) return at(candidate);
        }
        throw new ToolchainMissing("cannot find the tools/ directory above " + Path.of("").toAbsolutePath()
                + "; set -Dinfergate.tools.dir or INFERGATE_TOOLS_DIR, then " + INSTALL_HINT);
    }

    public Path root() {
        return root;
    }

    public Path anvil() {
        return binary("@foundry-rs/anvil-linux-amd64/bin/anvil");
    }

    public Path forge() {
        return binary("@foundry-rs/forge-linux-amd64/bin/forge");
    }

    public Path cast() {
        return binary("@foundry-rs/cast-linux-amd64/bin/cast");
    }

    /** The {@code solc} stand-in that forwards forge's {@code --standard-json} calls to the pinned solc-js. */
    public Path solcShim() {
        binary("solc/package.json");
        return root.resolve("bin/solc");
    }

    /** {@code tools/node_modules}, for Node scripts that import the x402 reference packages. */
    public Path nodeModules() {
        Path modules = root.resolve("node_modules");
        if (!Files.isDirectory(modules)) throw missing(modules);
        return modules;
    }

    private Path binary(String relative) {
        Path path = root.resolve("node_modules").resolve(relative);
        if (!Files.isRegularFile(path)) throw missing(path);
        return path;
    }

    private static ToolchainMissing missing(Path path) {
        return new ToolchainMissing(path + " is missing: " + INSTALL_HINT);
    }
}
