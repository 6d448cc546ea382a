// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ServiceRegistry} from "./ServiceRegistry.sol";

/// @title ReceiptAnchor
/// @notice Commits Merkle roots of a provider's inference receipts so any single receipt can later be proven
///         against the chain.
/// @dev Receipts are numbered per (provider, signer) stream by their `seq`; each commitment covers a contiguous
///      range `[firstSeq, lastSeq]` and ranges of one stream only move forward (never overlap). Only a receipt
///      signer that the ServiceRegistry lists for an active service of the provider may commit for it.
///
///      Tree shape (what `verifyReceipt` checks and what the host must build): leaf = keccak256(receiptDigest),
///      where receiptDigest is the receipt's EIP-712 digest; parent = keccak256(min(a, b) ‖ max(a, b)) (sorted
///      pairs, so proofs need no left/right flags); an odd node is carried up unchanged. Leaves hash 32 bytes and
///      inner nodes 64, so an inner node can never pass for a leaf.
contract ReceiptAnchor {
    struct Commitment {
        bytes32 root;
        uint64 firstSeq;
        uint64 lastSeq;
        uint64 committedAt;
    }

    ServiceRegistry public immutable registry;

    mapping(address provider => mapping(address signer => Commitment[])) private _commitments;

    event ReceiptsCommitted(
        address indexed provider,
        address indexed signer,
        bytes32 indexed root,
        uint64 firstSeq,
        uint64 lastSeq,
        uint256 index
    );

    error ZeroRegistry();
    /// @notice The caller is not a receipt signer of an active service of `provider` in the ServiceRegistry.
    error NotReceiptSigner(address provider, address caller);
    error EmptyRoot();
    error InvalidRange(uint64 firstSeq, uint64 lastSeq);
    /// @notice The range starts at or before the end of the stream's previous commitment.
    error RangeOverlaps(uint64 firstSeq, uint64 previousLastSeq);
    /// @notice No commitment of this stream covers the sequence number.
    error SeqNotCommitted(uint64 seq);

    constructor(ServiceRegistry registry_) {
        if (address(registry_) == address(0)) revert ZeroRegistry();
        registry = registry_;
    }

    /// @notice Commits `root` for the caller's receipts `firstSeq..lastSeq` (inclusive) issued for `provider`.
    /// @return index the position of this commitment in the stream
    function commit(address provider, bytes32 root, uint64 firstSeq, uint64 lastSeq) external returns (uint256 index) {
        if (!registry.isReceiptSigner(provider, msg.sender)) revert NotReceiptSigner(provider, msg.sender);
        if (root == bytes32(0)) revert EmptyRoot();
        if (lastSeq < firstSeq) revert InvalidRange(firstSeq, lastSeq);
        Commitment[] storage stream = _commitments[provider][msg.sender];
        index = stream.length;
        if (index > 0) {
            uint64 previousLast = stream[index - 1].lastSeq;
            if (firstSeq <= previousLast) revert RangeOverlaps(firstSeq, previousLast);
        }
        stream.push(Commitment(root, firstSeq, lastSeq, uint64(block.timestamp)));
        emit ReceiptsCommitted(provider, msg.sender, root, firstSeq, lastSeq, index);
    }

    function commitmentCount(address provider, address signer) external view returns (uint256) {
        return _commitments[provider][signer].length;
    }

    function commitmentAt(address provider, address signer, uint256 index) external view returns (Commitment memory) {
        return _commitments[provider][signer][index];
    }

    /// @notice The commitment whose range contains `seq` (binary search; ranges are sorted and disjoint).
    function commitmentFor(address provider, address signer, uint64 seq)
        public
        view
        returns (Commitment memory found, uint256 index)
    {
        Commitment[] storage stream = _commitments[provider][signer];
        uint256 lo = 0;
        uint256 hi = stream.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            Commitment storage c = stream[mid];
            if (seq < c.firstSeq) {
                hi = mid;
            } else if (seq > c.lastSeq) {
                lo = mid + 1;
            } else {
                return (c, mid);
            }
        }
        revert SeqNotCommitted(seq);
    }

    /// @notice True when the receipt with EIP-712 digest `receiptDigest` and number `seq` is in the committed tree.
    function verifyReceipt(address provider, address signer, uint64 seq, bytes32 receiptDigest, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        (Commitment memory c,) = commitmentFor(provider, signer, seq);
        return computeRoot(leafOf(receiptDigest), proof) == c.root;
    }

    function leafOf(bytes32 receiptDigest) public pure returns (bytes32) {
        return keccak256(abi.encode(receiptDigest));
    }

    function computeRoot(bytes32 leaf, bytes32[] calldata proof) public pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i = 0; i < proof.length; ++i) {
            bytes32 sibling = proof[i];
            node = node < sibling ? keccak256(abi.encode(node, sibling)) : keccak256(abi.encode(sibling, node));
        }
    }
}
