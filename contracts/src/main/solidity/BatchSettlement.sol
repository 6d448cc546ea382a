// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDepositCollector} from "./interfaces/IDepositCollector.sol";
import {IERC20Minimal} from "./interfaces/IERC20Minimal.sol";
import {Eip712Domain} from "./signatures/Eip712Domain.sol";
import {SignatureChecks} from "./signatures/SignatureChecks.sol";

/// @title BatchSettlement
/// @notice Infergate's implementation of the x402 v2 `batch-settlement` channel contract on EVM: the same
///         function signatures, struct layouts, EIP-712 domain ("x402 Batch Settlement", "1"), type strings
///         and events as the canonical `x402BatchSettlement`, so stock x402 clients pay through it unchanged.
///
/// @dev Design notes.
///
///      Accounting. A channel is identified by the EIP-712 hash of its immutable `ChannelConfig`. Its
///      `balance` is everything deposited minus everything refunded or withdrawn; claims never lower it.
///      `totalClaimed` is the cumulative amount the receiver has claimed, so `balance - totalClaimed` is the
///      payer's unclaimed escrow. Claimed funds stay in this contract, credited to `receivers[receiver][token]`,
///      until `settle` sweeps them. Invariants (fuzzed in BatchSettlementInvariants.t.sol):
///        - per channel: totalClaimed <= balance;
///        - per token:   token.balanceOf(this) == sum(channel balances) - sum(receiver totalSettled);
///        - per receiver: totalSettled <= totalClaimed.
///
///      Replay. Vouchers are cumulative: a claim row carries the new cumulative `totalClaimed`, and a row at or
///      below the recorded total is a no-op, so replaying a voucher can never pay twice. Refund signatures are
///      bound to `refundNonce`, which every executed refund advances.
///
///      Signatures. ECDSA only in its canonical form (65 bytes, low s, v in {27, 28}); a payer without a
///      `payerAuthorizer` may be an ERC-1271 wallet, as may a receiver authorizer.
///
///      Reentrancy. Every state-changing entry point holds a transient-storage lock (EIP-1153), and each
///      follows checks-effects-interactions; the only external calls are the collector (whose effect is
///      verified through the token balance) and token transfers.
contract BatchSettlement is Eip712Domain {
    // ---------------------------------------------------------------- types

    /// @notice Immutable channel parameters; their EIP-712 hash is the channel id.
    struct ChannelConfig {
        address payer;
        address payerAuthorizer;
        address receiver;
        address receiverAuthorizer;
        address token;
        uint40 withdrawDelay;
        bytes32 salt;
    }

    struct ChannelState {
        uint128 balance;
        uint128 totalClaimed;
    }

    struct WithdrawalState {
        uint128 amount;
        uint40 initiatedAt;
    }

    struct ReceiverState {
        uint128 totalClaimed;
        uint128 totalSettled;
    }

    /// @notice What the payer signs: a cumulative ceiling for one channel.
    struct Voucher {
        ChannelConfig channel;
        uint128 maxClaimableAmount;
    }

    /// @notice One claim row: a signed voucher and the new cumulative total claimed under it.
    struct VoucherClaim {
        Voucher voucher;
        bytes signature;
        uint128 totalClaimed;
    }

    // ---------------------------------------------------------------- constants

    uint40 public constant MIN_WITHDRAW_DELAY = 15 minutes;
    uint40 public constant MAX_WITHDRAW_DELAY = 30 days;

    bytes32 public constant CHANNEL_CONFIG_TYPEHASH = keccak256(
        "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)"
    );
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)");
    bytes32 public constant REFUND_TYPEHASH = keccak256("Refund(bytes32 channelId,uint256 nonce,uint128 amount)");
    bytes32 public constant CLAIM_ENTRY_TYPEHASH =
        keccak256("ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)");
    bytes32 public constant CLAIM_BATCH_TYPEHASH = keccak256(
        "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );

    // ---------------------------------------------------------------- storage

    mapping(bytes32 channelId => ChannelState) public channels;
    /// @notice Advanced by every executed refund (direct or signed); a signed refund must name the current value.
    mapping(bytes32 channelId => uint256) public refundNonce;
    mapping(bytes32 channelId => WithdrawalState) public pendingWithdrawals;
    mapping(address receiver => mapping(address token => ReceiverState)) public receivers;

    bool private transient _locked;

    // ---------------------------------------------------------------- events

    event ChannelCreated(bytes32 indexed channelId, ChannelConfig config);
    event ChannelClosed(bytes32 indexed channelId, ChannelConfig config);
    event Deposited(bytes32 indexed channelId, address indexed sender, uint128 amount, uint128 newBalance);
    event Claimed(bytes32 indexed channelId, address indexed sender, uint128 claimAmount, uint128 newTotalClaimed);
    event Settled(address indexed receiver, address indexed token, address indexed sender, uint128 amount);
    event Refunded(bytes32 indexed channelId, address indexed sender, uint128 amount);
    event WithdrawInitiated(bytes32 indexed channelId, uint128 amount, uint40 finalizeAfter);
    event WithdrawFinalized(bytes32 indexed channelId, address indexed sender, uint128 amount);

    // ---------------------------------------------------------------- errors

    /// @notice A config field that must be set is zero (payer, receiver, receiverAuthorizer or token).
    error InvalidChannel();
    error WithdrawDelayOutOfRange();
    error ZeroDeposit();
    error DepositOverflow();
    error InvalidCollector();
    /// @notice The collector did not move exactly the deposit amount into this contract.
    error DepositCollectionFailed();
    error EmptyBatch();
    /// @notice The caller of `claim` is neither the receiver nor the receiver authorizer of a row's channel.
    error NotAuthorizedToClaim();
    /// @notice A `claimWithSignature` row names a different receiver authorizer than the first row.
    error NotReceiverAuthorizer();
    /// @notice A row claims more than its voucher's `maxClaimableAmount`.
    error ClaimExceedsCeiling();
    /// @notice A row claims more than the channel holds.
    error ClaimExceedsBalance();
    /// @notice The signature does not come from the expected signer (wrong key, domain, chain or data).
    error InvalidSignature();
    /// @notice The signature's `s` is in the upper half of the curve order (its malleable twin).
    error MalleableSignature();
    /// @notice The signature's `v` is not 27 or 28.
    error InvalidSignatureV();
    /// @notice An ECDSA signature must be exactly 65 bytes (r, s, v).
    error InvalidSignatureLength();
    error NotAuthorizedToRefund();
    error ZeroRefund();
    /// @notice A signed refund names a nonce other than the channel's current `refundNonce`.
    error InvalidRefundNonce();
    /// @notice Only the payer or its payer authorizer may withdraw.
    error NotAuthorizedToWithdraw();
    error NothingToWithdraw();
    error WithdrawAmountExceedsAvailable();
    error WithdrawalAlreadyPending();
    error WithdrawalNotPending();
    error WithdrawDelayNotElapsed();
    error TokenTransferFailed();
    error ReentrantCall();

    modifier nonReentrant() {
        if (_locked) revert ReentrantCall();
        _locked = true;
        _;
        _locked = false;
    }

    // ---------------------------------------------------------------- deposits

    /// @notice Funds a channel (creating it on first deposit) by having `collector` pull `amount` from the payer.
    function deposit(ChannelConfig calldata config, uint128 amount, address collector, bytes calldata collectorData)
        external
        nonReentrant
    {
        if (
            config.payer == address(0) || config.receiver == address(0) || config.receiverAuthorizer == address(0)
                || config.token == address(0)
        ) revert InvalidChannel();
        if (config.withdrawDelay < MIN_WITHDRAW_DELAY || config.withdrawDelay > MAX_WITHDRAW_DELAY) {
            revert WithdrawDelayOutOfRange();
        }
        if (amount == 0) revert ZeroDeposit();
        if (collector == address(0) || collector.code.length == 0) revert InvalidCollector();

        bytes32 channelId = getChannelId(config);
        ChannelState storage ch = channels[channelId];
        uint128 before = ch.balance;
        if (amount > type(uint128).max - before) revert DepositOverflow();
        bool opens = before == 0 && ch.totalClaimed == 0;
        ch.balance = before + amount;

        IERC20Minimal token = IERC20Minimal(config.token);
        uint256 held = token.balanceOf(address(this));
        IDepositCollector(collector).collect(config.payer, config.token, amount, channelId, collectorData);
        if (token.balanceOf(address(this)) != held + amount) revert DepositCollectionFailed();

        if (opens) emit ChannelCreated(channelId, config);
        emit Deposited(channelId, msg.sender, amount, before + amount);
    }

    // ---------------------------------------------------------------- claims and settlement

    /// @notice Records voucher claims for many channels; the caller must be each row's receiver or receiver authorizer.
    function claim(VoucherClaim[] calldata voucherClaims) external nonReentrant {
        uint256 n = voucherClaims.length;
        if (n == 0) revert EmptyBatch();
        for (uint256 i = 0; i < n; ++i) {
            ChannelConfig calldata c = voucherClaims[i].voucher.channel;
            if (msg.sender != c.receiver && msg.sender != c.receiverAuthorizer) revert NotAuthorizedToClaim();
            _applyClaim(voucherClaims[i], getChannelId(c));
        }
    }

    /// @notice Records voucher claims authorized by one receiver-authorizer signature over the whole batch.
    /// @dev Anyone may relay it; every row must share the first row's receiver authorizer.
    function claimWithSignature(VoucherClaim[] calldata voucherClaims, bytes calldata authorizerSignature)
        external
        nonReentrant
    {
        uint256 n = voucherClaims.length;
        if (n == 0) revert EmptyBatch();
        address authorizer = voucherClaims[0].voucher.channel.receiverAuthorizer;
        (bytes32 digest, bytes32[] memory ids) = _claimBatchDigest(voucherClaims);
        _requireSignature(authorizer, digest, authorizerSignature, true);
        for (uint256 i = 0; i < n; ++i) {
            if (voucherClaims[i].voucher.channel.receiverAuthorizer != authorizer) revert NotReceiverAuthorizer();
            _applyClaim(voucherClaims[i], ids[i]);
        }
    }

    /// @notice Pays out everything claimed for (`receiver`, `token`) and not yet settled. Permissionless.
    function settle(address receiver, address token) external nonReentrant {
        ReceiverState storage rs = receivers[receiver][token];
        uint128 amount = rs.totalClaimed - rs.totalSettled;
        if (amount == 0) return;
        rs.totalSettled = rs.totalClaimed;
        _transfer(token, receiver, amount);
        emit Settled(receiver, token, msg.sender, amount);
    }

    // ---------------------------------------------------------------- payer's escape hatch

    /// @notice Starts a timed withdrawal of up to `amount` of unclaimed escrow; it can finish after `withdrawDelay`.
    /// @dev Unclaimed vouchers do not reserve funds: the receiver must claim within the delay.
    function initiateWithdraw(ChannelConfig calldata config, uint128 amount) external nonReentrant {
        _requirePayerSide(config);
        if (amount == 0) revert NothingToWithdraw();
        bytes32 channelId = getChannelId(config);
        WithdrawalState storage ws = pendingWithdrawals[channelId];
        if (ws.initiatedAt != 0) revert WithdrawalAlreadyPending();
        ChannelState storage ch = channels[channelId];
        if (amount > ch.balance - ch.totalClaimed) revert WithdrawAmountExceedsAvailable();

        ws.amount = amount;
        ws.initiatedAt = uint40(block.timestamp);
        emit WithdrawInitiated(channelId, amount, uint40(block.timestamp) + config.withdrawDelay);
    }

    /// @notice Completes a pending withdrawal once its delay has elapsed, capped to what is still unclaimed.
    function finalizeWithdraw(ChannelConfig calldata config) external nonReentrant {
        _requirePayerSide(config);
        bytes32 channelId = getChannelId(config);
        WithdrawalState storage ws = pendingWithdrawals[channelId];
        uint40 initiatedAt = ws.initiatedAt;
        if (initiatedAt == 0) revert WithdrawalNotPending();
        if (block.timestamp < uint256(initiatedAt) + config.withdrawDelay) revert WithdrawDelayNotElapsed();

        ChannelState storage ch = channels[channelId];
        uint128 available = ch.balance - ch.totalClaimed;
        uint128 amount = ws.amount < available ? ws.amount : available;
        delete pendingWithdrawals[channelId];
        ch.balance -= amount;

        emit WithdrawFinalized(channelId, msg.sender, amount);
        if (ch.balance == 0 && ch.totalClaimed == 0) emit ChannelClosed(channelId, config);
        if (amount > 0) _transfer(config.token, config.payer, amount);
    }

    // ---------------------------------------------------------------- cooperative refunds

    /// @notice Receiver side returns up to `amount` of unclaimed escrow to the payer; advances `refundNonce`.
    function refund(ChannelConfig calldata config, uint128 amount) external nonReentrant {
        if (msg.sender != config.receiver && msg.sender != config.receiverAuthorizer) revert NotAuthorizedToRefund();
        _executeRefund(config, getChannelId(config), amount);
    }

    /// @notice Refund authorized by an EIP-712 `Refund` signature of the receiver authorizer; anyone may relay it.
    function refundWithSignature(
        ChannelConfig calldata config,
        uint128 amount,
        uint256 nonce,
        bytes calldata receiverAuthorizerSignature
    ) external nonReentrant {
        bytes32 channelId = getChannelId(config);
        if (nonce != refundNonce[channelId]) revert InvalidRefundNonce();
        _requireSignature(
            config.receiverAuthorizer, getRefundDigest(channelId, nonce, amount), receiverAuthorizerSignature, true
        );
        _executeRefund(config, channelId, amount);
    }

    // ---------------------------------------------------------------- batching

    /// @notice Runs several calls to this contract in one transaction (e.g. claim then settle); all or nothing.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; ++i) {
            (bool ok, bytes memory ret) = address(this).delegatecall(data[i]);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
            results[i] = ret;
        }
    }

    // ---------------------------------------------------------------- views

    /// @notice The channel id: EIP-712 digest of `config` under this contract's domain (chain and address bound).
    function getChannelId(ChannelConfig calldata config) public view returns (bytes32) {
        return _hashTypedData(keccak256(abi.encode(CHANNEL_CONFIG_TYPEHASH, config)));
    }

    function getVoucherDigest(bytes32 channelId, uint128 maxClaimableAmount) public view returns (bytes32) {
        return _hashTypedData(keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, maxClaimableAmount)));
    }

    function getRefundDigest(bytes32 channelId, uint256 nonce, uint128 amount) public view returns (bytes32) {
        return _hashTypedData(keccak256(abi.encode(REFUND_TYPEHASH, channelId, nonce, amount)));
    }

    /// @notice EIP-712 digest of `ClaimBatch(ClaimEntry[] claims)` for these rows (defined for an empty batch too).
    function getClaimBatchDigest(VoucherClaim[] calldata voucherClaims) public view returns (bytes32 digest) {
        (digest,) = _claimBatchDigest(voucherClaims);
    }

    // ---------------------------------------------------------------- internals

    function _domainName() internal pure override returns (string memory) {
        return "x402 Batch Settlement";
    }

    function _domainVersion() internal pure override returns (string memory) {
        return "1";
    }

    /// @dev Returns the channel ids too, so a signed batch hashes each config once.
    function _claimBatchDigest(VoucherClaim[] calldata rows)
        private
        view
        returns (bytes32 digest, bytes32[] memory ids)
    {
        uint256 n = rows.length;
        ids = new bytes32[](n);
        bytes32[] memory entries = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            ids[i] = getChannelId(rows[i].voucher.channel);
            entries[i] = keccak256(
                abi.encode(CLAIM_ENTRY_TYPEHASH, ids[i], rows[i].voucher.maxClaimableAmount, rows[i].totalClaimed)
            );
        }
        digest = _hashTypedData(keccak256(abi.encode(CLAIM_BATCH_TYPEHASH, keccak256(abi.encodePacked(entries)))));
    }

    /// @dev A row at or below the recorded total changes nothing (this is what makes replays harmless).
    function _applyClaim(VoucherClaim calldata row, bytes32 channelId) private {
        ChannelState storage ch = channels[channelId];
        uint128 previous = ch.totalClaimed;
        uint128 target = row.totalClaimed;
        if (target <= previous) return;
        if (target > row.voucher.maxClaimableAmount) revert ClaimExceedsCeiling();
        if (target > ch.balance) revert ClaimExceedsBalance();

        ChannelConfig calldata c = row.voucher.channel;
        bytes32 digest = getVoucherDigest(channelId, row.voucher.maxClaimableAmount);
        if (c.payerAuthorizer != address(0)) {
            // The fast path the x402 server relies on: an EOA session key, checked with ecrecover only.
            _requireSignature(c.payerAuthorizer, digest, row.signature, false);
        } else {
            _requireSignature(c.payer, digest, row.signature, true);
        }

        uint128 delta = target - previous;
        ch.totalClaimed = target;
        receivers[c.receiver][c.token].totalClaimed += delta;
        emit Claimed(channelId, msg.sender, delta, target);
    }

    function _executeRefund(ChannelConfig calldata config, bytes32 channelId, uint128 amount) private {
        if (amount == 0) revert ZeroRefund();
        unchecked {
            ++refundNonce[channelId];
        }
        ChannelState storage ch = channels[channelId];
        uint128 available = ch.balance - ch.totalClaimed;
        uint128 refunded = amount < available ? amount : available;
        if (refunded == 0) return;
        ch.balance -= refunded;

        // A refund also satisfies (part of) a pending withdrawal: the payer already got that money back.
        WithdrawalState storage ws = pendingWithdrawals[channelId];
        if (ws.initiatedAt != 0) {
            if (refunded >= ws.amount) delete pendingWithdrawals[channelId];
            else ws.amount -= refunded;
        }

        emit Refunded(channelId, msg.sender, refunded);
        if (ch.balance == 0 && ch.totalClaimed == 0) emit ChannelClosed(channelId, config);
        _transfer(config.token, config.payer, refunded);
    }

    function _requirePayerSide(ChannelConfig calldata config) private view {
        if (msg.sender != config.payer && msg.sender != config.payerAuthorizer) revert NotAuthorizedToWithdraw();
    }

    /// @dev Reverts with the most specific reason: a malformed ECDSA signature says so, unless the signer is a
    ///      contract wallet (allowErc1271) that accepts it.
    function _requireSignature(address signer, bytes32 digest, bytes calldata signature, bool allowErc1271)
        private
        view
    {
        (address recovered, SignatureChecks.RecoverError err) = SignatureChecks.tryRecover(digest, signature);
        if (err == SignatureChecks.RecoverError.None && recovered == signer) return;
        if (allowErc1271 && SignatureChecks.isValidErc1271(signer, digest, signature)) return;
        if (err == SignatureChecks.RecoverError.HighS) revert MalleableSignature();
        if (err == SignatureChecks.RecoverError.BadV) revert InvalidSignatureV();
        if (err == SignatureChecks.RecoverError.BadLength) revert InvalidSignatureLength();
        revert InvalidSignature();
    }

    /// @dev Accepts tokens that return nothing as well as those returning true (USDT-style and standard).
    function _transfer(address token, address to, uint256 amount) private {
        (bool ok, bytes memory ret) = token.call(abi.encodeCall(IERC20Minimal.transfer, (to, amount)));
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool))) || (ret.length == 0 && token.code.length == 0)) {
            revert TokenTransferFailed();
        }
    }
}
