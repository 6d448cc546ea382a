/**
 * The chain side of payments: the node as x402 {@code batch-settlement} facilitator and claimant.
 *
 * <p>{@link io.infergate.host.payments.chain.ChainWatcher} mirrors channel state from the
 * {@code BatchSettlement} contract's events into the ledger in the background (the payment gate never calls
 * the chain). {@link io.infergate.host.payments.chain.DepositSubmitter} relays a payer's ERC-3009 deposit and
 * returns once it is confirmed and mirrored; {@link io.infergate.host.payments.chain.RefundSubmitter} claims the
 * node's charge and refunds the rest in one {@code multicall}, likewise. {@link io.infergate.host.payments.chain.ClaimScheduler} claims the
 * node's charges in batched {@code claimWithSignature} transactions (on a schedule, above a threshold, and always
 * before a pending withdrawal ends), settles them, and tells the gate when a channel must stop taking vouchers
 * ({@code acceptsVouchers}); a claim transaction left unmined too long is replaced by {@code ClaimReplacer} (same
 * nonce, fees raised as {@code FeeBump} says). Deposits, refunds and settles are replaced the same way while they
 * are waited for ({@code ReplacingWait}), and by the claim round when one of them holds the key's lowest unmined
 * nonce and so blocks every later transaction, claims included ({@code NonceQueueUnblocker}); both go through
 * {@code StuckTransactionReplacer}. All transactions go through one {@link io.infergate.host.payments.chain.TransactionSender}
 * per facilitator key, which remembers in memory what it broadcast per unmined nonce ({@code SentTransactions});
 * reads go through {@link io.infergate.host.payments.chain.SettlementChain}.
 * {@link io.infergate.host.payments.chain.ChainMetrics} exports the amounts, claim outcomes and replacements. Replicas sharing a
 * PostgreSQL ledger run claim rounds only on their elected claims leader ({@code io.infergate.host.leadership}).
 *
 * <p>Start with {@code ChainWatcher}'s and {@code ClaimScheduler}'s design notes, then {@code ClaimReplacer}'s
 * and {@code NonceQueueUnblocker}'s for stuck transactions.
 */
package io.infergate.host.payments.chain;
