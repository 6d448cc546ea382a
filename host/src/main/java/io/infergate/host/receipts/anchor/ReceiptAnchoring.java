package io.infergate.host.receipts.anchor;

import io.infergate.host.config.HostConfig;
import io.infergate.host.leadership.LeaderElection;
import io.infergate.host.payments.chain.ChainConnection;
import io.infergate.host.payments.chain.TransactionSender;
import io.infergate.host.receipts.ReceiptLog;
import io.infergate.x402.crypto.Address;
import io.infergate.x402.crypto.PrivateKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/** Starts the node's anchorer on its chain connection (receipts on and {@code payments.rpc-url} set). */
public final class ReceiptAnchoring {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptAnchoring.class);

  private ReceiptAnchoring() {}

  /**
   * An anchorer for the receipts {@code receiptKey} signs for {@code provider}, committing to {@code anchor}, started.
   * The receipt key signs the commits and pays their gas; when it is also the facilitator key, the facilitator's
   * sender is shared so the key's nonces never race. Rounds run only while {@code leadership} says this replica leads
   * the anchoring; the anchorer owns it from here on (closes it, also when this method fails).
   */
  public static ReceiptAnchorer start(ReceiptLog log, PrivateKey receiptKey, Address provider, Address anchor,
      ChainConnection chain, HostConfig.Chain config, MeterRegistry registry, LeaderElection leadership) {
    try {
      return startLeading(log, receiptKey, provider, anchor, chain, config, registry, leadership);
    } catch (RuntimeException e) {
      leadership.close();
      throw e;
    }
  }

  private static ReceiptAnchorer startLeading(ReceiptLog log, PrivateKey receiptKey, Address provider,
      Address anchor, ChainConnection chain, HostConfig.Chain config, MeterRegistry registry,
      LeaderElection leadership) {
    TransactionSender sender = receiptKey.address().equals(config.facilitatorKey().address()) ? chain.sender()
        : TransactionSender.create(chain.web3j(), chain.chainId(), Credentials.create(receiptKey.exportSecretHex()),
            Duration.ofMillis(250));
    HostConfig.Anchoring a = config.anchoring();
    AnchorOptions options = AnchorOptions.defaults().withBatchSize(a.batchSize()).withInterval(a.interval())
        .withTickInterval(a.tick()).withConfirmations(config.confirmations())
        .withReplaceAfter(config.claimReplaceAfter());
    warnIfUnfunded(chain, receiptKey.address());
    ReceiptAnchorer anchorer = ReceiptAnchorer.create(log, AnchorContract.of(chain.web3j(), chain.chainId(), anchor,
        provider, sender), options, Clock.systemUTC(), AnchorMetrics.create(registry), leadership);
    anchorer.start();
    LOG.info("anchoring receipts of {} for provider {} on ReceiptAnchor {}: a batch every {} receipts or {} s",
        receiptKey.address().toChecksumString(), provider.toChecksumString(), anchor.toChecksumString(), a.batchSize(),
        a.interval().toSeconds());
    return anchorer;
  }

  private static void warnIfUnfunded(ChainConnection chain, Address key) {
    try {
      BigInteger balance = chain.web3j().ethGetBalance(key.toChecksumString(), DefaultBlockParameterName.LATEST).send()
          .getBalance();
      if (balance != null && balance.signum() == 0) {
        LOG.warn("the receipt key {} holds no native currency: it pays the gas of every root commit (about 85k gas"
            + " per batch); fund it, or receipts stay unanchored and proofs unavailable", key.toChecksumString());
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not read the receipt key's balance: {}", e.getMessage());
    }
  }
}
