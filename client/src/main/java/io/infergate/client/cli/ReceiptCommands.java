package io.infergate.client.cli;

import io.infergate.client.ClientException;
import io.infergate.client.receipts.AuditReport;
import io.infergate.client.receipts.ProofSource;
import io.infergate.client.receipts.ReceiptAudit;
import io.infergate.client.receipts.ReceiptChain;
import io.infergate.client.receipts.ReceiptVerifier;
import io.infergate.client.receipts.Reexecutor;
import io.infergate.client.receipts.VerificationReport;
import io.infergate.client.receipts.VerifyOptions;
import io.infergate.client.store.ChannelStore;
import io.infergate.client.store.StoredCall;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.Bytes32;
import io.infergate.x402.receipt.ReceiptFormatException;
import io.infergate.x402.receipt.SignedReceipt;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code infergate client verify} and {@code infergate client audit}: receipt checks from the command line.
 * Neither needs a key: they read the store, the node and the chain only.
 *
 * <pre>{@code
 * infergate client verify 0x<receipt id>              # from the store; proof from the node
 * infergate client verify receipt.json --proof p.json  # a receipt someone handed you
 * infergate client audit --json
 * }</pre>
 *
 * Exit codes: 0 every check passed (or was skipped), 1 a check failed, 2 usage, 3 undecided (e.g. the receipt is
 * not anchored yet, or re-execution ran under another runtime profile).
 */
final class ReceiptCommands {
  private ReceiptCommands() {}

  /** Plumbing shared by the two: options, the store, output. */
  abstract static class StoreCommand implements Callable<Integer> {
    @ParentCommand ClientCommand parent;
    @Mixin ClientOptions options;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    PrintWriter out() {
      return parent.out;
    }

    PrintWriter err() {
      return parent.err;
    }

    @Override
    public final Integer call() {
      options.environment(parent.env);
      try (ChannelStore store = options.openStore()) {
        return run(store);
      }
    }

    abstract Integer run(ChannelStore store);
  }

  @Command(name = "verify", description = "Verify an inference receipt: signature, registry at issuedAt, stored hashes,"
      + " inclusion proof against the chain, optionally re-execution; equivocation against the store.")
  static final class Verify extends StoreCommand {
    @Parameters(index = "0", description = "Receipt id (0x + 64 hex) from the store, or a file with the receipt JSON"
        + " (or the base64 Infergate-Receipt header value).")
    String receipt;
    @Option(names = "--reexecute", description = "Re-run the stored request with the receipt's plugin and models"
        + " (fetched by CID from the node's gateway) and compare the response hash.")
    boolean reexecute;
    @Option(names = "--proof", description = "A file with the inclusion proof (the JSON of GET /v1/receipts/{id}/proof);"
        + " default: ask the node.")
    Path proof;
    @Option(names = "--anchor", description = "The ReceiptAnchor to trust (default: node.json's, else the receipt's own,"
        + " with a warning).")
    String anchor;

    @Override
    Integer run(ChannelStore store) {
      SignedReceipt r = load(store);
      Address trusted = trustedAnchor(r);
      String rpc = options.rpcUrl().orElseThrow(() -> new ClientException("verify needs the chain: pass --rpc <url>"
          + " (or run './infergate dev', which writes node.json)"));
      try (ReceiptChain chain = ReceiptChain.connect(rpc, trusted)) {
        ReceiptVerifier.Builder b = ReceiptVerifier.builder(chain).log(store.receipts()).node(options.nodeUrl());
        if (reexecute) {
          b.reexecutor(reexecutor());
        }
        VerifyOptions o = VerifyOptions.defaults();
        if (reexecute) {
          o = o.withReexecute();
        }
        if (proof != null) {
          o = o.withProof(ProofSource.fromFile(proof));
        }
        VerificationReport report = b.build().verify(r, o);
        out().println(json ? report.toJson().toPrettyString() : report.toText());
        return report.exitCode();
      }
    }

    private Reexecutor reexecutor() {
      return Reexecutors.forNode(options.nodeUrl());
    }

    private Address trustedAnchor(SignedReceipt r) {
      if (anchor != null) {
        return Address.parse(anchor);
      }
      Optional<String> dev = options.dev().map(NodeInfo::receiptAnchor);
      if (dev.isPresent()) {
        return Address.parse(dev.get());
      }
      err().println("warning: trusting the receipt's own ReceiptAnchor " + r.domain().verifyingContract()
          .toChecksumString() + "; pin the provider's anchor with --anchor");
      return r.domain().verifyingContract();
    }

    private SignedReceipt load(ChannelStore store) {
      if (receipt.matches("0x[0-9a-fA-F]{64}")) {
        return store.receipts().byReceiptId(receipt).flatMap(StoredCall::signedReceipt)
            .orElseThrow(() -> new ClientException("receipt " + receipt + " is not in the store " + store.file()
                + "; pass the receipt as a file instead (e.g. saved from GET /v1/receipts/" + receipt + ")"));
      }
      Path file = Path.of(receipt);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new ClientException("'" + receipt + "' is neither a receipt id (0x + 64 hex) nor a readable file: "
            + e.getMessage());
      }
      String text = new String(bytes, StandardCharsets.UTF_8).strip();
      try {
        return text.startsWith("{") ? SignedReceipt.fromJson(text.getBytes(StandardCharsets.UTF_8))
            : SignedReceipt.fromHeader(text);
      } catch (ReceiptFormatException e) {
        throw new ClientException(file + " does not hold an inference receipt: " + e.getMessage());
      }
    }
  }

  @Command(name = "audit", description = "Audit the receipt log: per channel, charges add up receipt by receipt, stay"
      + " within the vouchers and match what the node reported; no charge without a receipt; seq increases;"
      + " no equivocation.")
  static final class Audit extends StoreCommand {
    @Option(names = "--channel", description = "Only this channel (0x...); default: every channel with calls.")
    String channel;

    @Override
    Integer run(ChannelStore store) {
      AuditReport report = ReceiptAudit.of(store).run(Optional.ofNullable(channel).map(Bytes32::parse));
      if (report.channels().isEmpty() && !json) {
        out().println("no paid calls in " + store.file() + "; nothing to audit");
        return 0;
      }
      out().println(json ? report.toJson().toPrettyString() : report.toText());
      return report.exitCode();
    }
  }
}
