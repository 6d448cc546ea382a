// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Eip712Domain
/// @notice EIP-712 domain `{name, version, chainId, verifyingContract}` with EIP-5267 discovery.
/// @dev The separator is cached for the address and chain the contract was deployed on, and recomputed
///      whenever either differs: after a chain fork, and on dev chains where the runtime code is copied to
///      the canonical x402 address with `anvil_setCode` (immutables travel with the code, so the cache would
///      otherwise name the original deployment address).
abstract contract Eip712Domain {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    bytes32 private immutable _hashedName;
    bytes32 private immutable _hashedVersion;
    bytes32 private immutable _cachedSeparator;
    uint256 private immutable _cachedChainId;
    address private immutable _cachedThis;

    /// @dev No storage: everything the domain needs lives in code, so a copy of the runtime code made with
    ///      `anvil_setCode` signs and verifies exactly like the original.
    constructor() {
        _hashedName = keccak256(bytes(_domainName()));
        _hashedVersion = keccak256(bytes(_domainVersion()));
        _cachedChainId = block.chainid;
        _cachedThis = address(this);
        _cachedSeparator = _buildSeparator();
    }

    /// @notice EIP-5267: the fields of this contract's EIP-712 domain.
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _domainName(), _domainVersion(), block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// @dev The EIP-712 `name`; a literal, so it lives in code.
    function _domainName() internal pure virtual returns (string memory);

    /// @dev The EIP-712 `version`; a literal, so it lives in code.
    function _domainVersion() internal pure virtual returns (string memory);

    function _domainSeparator() internal view returns (bytes32) {
        if (address(this) == _cachedThis && block.chainid == _cachedChainId) return _cachedSeparator;
        return _buildSeparator();
    }

    /// @notice `keccak256("\x19\x01" ‖ domainSeparator ‖ structHash)`.
    function _hashTypedData(bytes32 structHash) internal view returns (bytes32 digest) {
        bytes32 separator = _domainSeparator();
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), separator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    function _buildSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, _hashedName, _hashedVersion, block.chainid, address(this)));
    }
}
