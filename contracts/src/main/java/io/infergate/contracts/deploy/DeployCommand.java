package io.infergate.contracts.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * Command line for operators: deploys the contracts and prints their addresses as JSON.
 *
 * <pre>
 * INFERGATE_DEPLOYER_KEY=0x... mvn -q -pl contracts exec:java@deploy \
 *     -Dexec.args="--rpc https://sepolia.base.org --asset 0x036CbD53842c5426634e7929541eC2318f3dCF7e --out deployed.json"
 * </pre>
 *
 * <p>The key is read from the environment only, so it never shows in a process list or shell history.
 * {@code --dev} deploys the dev token and places the x402 contracts at their canonical addresses (anvil only).
 */
public final class DeployCommand {
    static final String KEY_ENV = "INFERGATE_DEPLOYER_KEY";
    private static final String USAGE = "usage: DeployCommand --rpc <url> (--asset <token address> | --dev) [--out <file>]"
            + "\n  the deployer key comes from the environment variable " + KEY_ENV;

    private DeployCommand() {}

    public static void main(String[] args) throws IOException {
        String rpc = null;
        String asset = null;
        String out = null;
        boolean dev = false;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.removeFirst();
            switch (flag) {
                case "--rpc" -> rpc = value(flag, rest);
                case "--asset" -> asset = value(flag, rest);
                case "--out" -> out = value(flag, rest);
                case "--dev" -> dev = true;
                default -> fail("unknown option " + flag);
            }
        }
        if (rpc == null) fail("--rpc is required");
        if (dev == (asset != null)) fail("give exactly one of --asset (real chain) or --dev (anvil)");
        String key = System.getenv(KEY_ENV);
        if (key == null || key.isBlank()) fail("set " + KEY_ENV + " to the deployer's private key (0x...)");

        DeployOptions options = dev ? DeployOptions.devChain() : DeployOptions.realChain(asset);
        DeployedContracts deployed;
        try (ContractDeployer deployer = ContractDeployer.create(rpc, Credentials.create(key.strip()), options)) {
            deployed = deployer.deployAll();
        }
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(deployed);
        if (out != null) Files.writeString(Path.of(out), json + "\n");
        System.out.println(json);
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) fail(flag + " needs a value");
        return rest.removeFirst();
    }

    private static void fail(String message) {
        System.err.println(message + "\n" + USAGE);
        System.exit(2);
    }
}
