package io.infergate.contracts.devchain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.contracts.toolchain.Toolchain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A running {@code anvil} node on 127.0.0.1.
 *
 * <pre>{@code
 * try (DevChain chain = DevChain.start(Toolchain.locate(), DevChainOptions.defaults())) {
 *     Web3j web3j = chain.web3j();
 *     Credentials deployer = chain.devAccount(0);
 *     ...
 * }
 * }</pre>
 *
 * <p>Port 0 lets anvil bind a free port itself; the port is read back from its "Listening on" line, so two
 * chains never race for one port. The node's output goes to a log file next to its config; the funded dev keys
 * come from the config anvil writes ({@code --config-out}). A shutdown hook stops the process if the JVM exits
 * without {@link #close()}.
 */
public final class DevChain implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");

    private final Process process;
    private final String rpcUrl;
    private final long chainId;
    private final List<String> privateKeys;
    private final Path logFile;
    private final HttpService http;
    private final Web3j web3j;
    private final Thread shutdownHook;

    private DevChain(Process process, String rpcUrl, long chainId, List<String> privateKeys, Path logFile) {
        this.process = process;
        this.rpcUrl = rpcUrl;
        this.chainId = chainId;
        this.privateKeys = List.copyOf(privateKeys);
        this.logFile = logFile;
        this.http = new HttpService(rpcUrl);
        this.web3j = Web3j.build(http);
        this.shutdownHook = new Thread(process::destroy, "devchain-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts anvil and returns once it listens. */
    public static DevChain start(Toolchain toolchain, DevChainOptions options) {
        Path anvil = toolchain.anvil();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("infergate-devchain-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path config = workDir.resolve("anvil-config.json");
        Path log = workDir.resolve("anvil.log");
        List<String> command = new ArrayList<>(List.of(anvil.toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(options.port()),
                "--chain-id", Long.toString(options.chainId()),
                "--accounts", Integer.toString(options.accounts()),
                "--config-out", config.toString()));
        if (options.blockTimeSeconds() > 0) {
            command.addAll(List.of("--block-time", Integer.toString(options.blockTimeSeconds())));
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DevChainFailure("cannot run " + anvil + ": " + e.getMessage(), e);
        }
        try {
            String rpcUrl = awaitListening(process, log, options);
            List<String> keys = readKeys(config);
            return new DevChain(process, rpcUrl, options.chainId(), keys, log);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Starts anvil from the located toolchain with default options. */
    public static DevChain start() {
        return start(Toolchain.locate(), DevChainOptions.defaults());
    }

    /** Copies anvil's output to the log file and completes with the RPC URL once it listens. */
    private static String awaitListening(Process process, Path log, DevChainOptions options) {
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer file = Files.newBufferedWriter(log)) {
                String line;
                while ((line = out.readLine()) != null) {
                    file.write(line);
                    file.write('\n');
                    file.flush();
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) listening.complete("http://" + m.group(1) + ":" + m.group(2));
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new DevChainFailure("anvil exited before listening; see " + log));
        }, "devchain-log");
        pump.setDaemon(true);
        pump.start();
        try {
            return listening.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DevChainFailure("anvil did not listen within " + options.startTimeout() + "; see " + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevChainFailure("interrupted while starting anvil", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DevChainFailure("anvil failed to start: " + e.getCause().getMessage() + "; see " + log, e);
        }
    }

    private static List<String> readKeys(Path config) {
        try {
            JsonNode keys = new ObjectMapper().readTree(config.toFile()).path("private_keys");
            List<String> out = new ArrayList<>();
            keys.forEach(k -> out.add(k.asText()));
            if (out.isEmpty()) throw new DevChainFailure("anvil wrote no dev keys to " + config);
            return out;
        } catch (IOException e) {
            throw new DevChainFailure("cannot read anvil's config " + config + ": " + e.getMessage(), e);
        }
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long chainId() {
        return chainId;
    }

    /** A web3j client for this chain (shared; closed with the chain). */
    public Web3j web3j() {
        return web3j;
    }

    /** Funded dev account {@code index} (0 is anvil's well-known first account). Dev keys only. */
    public Credentials devAccount(int index) {
        return Credentials.create(privateKeys.get(index));
    }

    public List<String> devPrivateKeys() {
        return privateKeys;
    }

    public Path logFile() {
        return logFile;
    }

    /** Replaces the runtime code at {@code address} ({@code anvil_setCode}); storage is left as it was. */
    public void setCode(String address, String runtimeCodeHex) {
        call("anvil_setCode", List.of(address, runtimeCodeHex));
    }

    /** Moves the chain clock forward and mines a block stamped with the new time. */
    public void advanceTime(long seconds) {
        call("evm_increaseTime", List.of(BigInteger.valueOf(seconds)));
        call("evm_mine", List.of());
    }

    /** Sets the ETH balance of {@code address} (for fresh accounts that must pay gas). */
    public void fund(String address, BigInteger wei) {
        call("anvil_setBalance", List.of(address, "0x" + wei.toString(16)));
    }

    /**
     * Sends any JSON-RPC call to the dev chain (anvil's {@code anvil_*} and {@code evm_*} controls included) and
     * returns its raw result.
     *
     * @throws DevChainFailure when the node answers an error or cannot be reached
     */
    public Object rpc(String method, Object... params) {
        return call(method, List.of(params));
    }

    private Object call(String method, List<?> params) {
        try {
            RawResponse response = new Request<>(method, params, http, RawResponse.class).send();
            if (response.hasError()) {
                throw new DevChainFailure(method + " failed: " + response.getError().getMessage());
            }
            return response.getResult();
        } catch (IOException e) {
            throw new DevChainFailure(method + " failed: " + e.getMessage(), e);
        }
    }

    /** Response type for RPC calls whose result we do not read. */
    public static final class RawResponse extends Response<Object> {}

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        web3j.shutdown();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to do
        }
    }
}
