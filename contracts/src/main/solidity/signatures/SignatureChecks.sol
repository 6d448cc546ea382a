// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC1271} from "../interfaces/IERC1271.sol";

/// @title SignatureChecks
/// @notice Strict secp256k1 recovery and ERC-1271 validation.
/// @dev Strict means: exactly 65 bytes (r, s, v), `s` in the lower half of the curve order (no malleable
///      twin of a signature is ever accepted) and `v` in {27, 28}. The same rules hold off chain in
///      Infergate's verifier, so a voucher the node accepts is one the contract accepts.
library SignatureChecks {
    /// @dev secp256k1n / 2: the largest `s` a canonical (low-s) signature may carry.
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    bytes4 internal constant ERC1271_MAGIC = 0x1626ba7e;

    enum RecoverError {
        None,
        BadLength,
        HighS,
        BadV,
        NoSigner
    }

    /// @notice Recovers the signer of `digest`, reporting why a signature is not acceptable instead of reverting.
    function tryRecover(bytes32 digest, bytes calldata signature)
        internal
        pure
        returns (address signer, RecoverError err)
    {
        if (signature.length != 65) return (address(0), RecoverError.BadLength);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(signature.offset)
            s := calldataload(add(signature.offset, 32))
            v := byte(0, calldataload(add(signature.offset, 64)))
        }
        if (uint256(s) > HALF_CURVE_ORDER) return (address(0), RecoverError.HighS);
        if (v != 27 && v != 28) return (address(0), RecoverError.BadV);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) return (address(0), RecoverError.NoSigner);
        return (signer, RecoverError.None);
    }

    /// @notice `tryRecover` for a signature held in memory (e.g. one assembled from v, r, s).
    function tryRecoverMemory(bytes32 digest, bytes memory signature)
        internal
        pure
        returns (address signer, RecoverError err)
    {
        if (signature.length != 65) return (address(0), RecoverError.BadLength);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
        if (uint256(s) > HALF_CURVE_ORDER) return (address(0), RecoverError.HighS);
        if (v != 27 && v != 28) return (address(0), RecoverError.BadV);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) return (address(0), RecoverError.NoSigner);
        return (signer, RecoverError.None);
    }

    /// @notice True when `account` is a contract whose ERC-1271 `isValidSignature` accepts the signature.
    /// @dev A staticcall: a wallet cannot change state (or re-enter) while being asked.
    function isValidErc1271(address account, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (account.code.length == 0) return false;
        (bool ok, bytes memory ret) =
            account.staticcall(abi.encodeCall(IERC1271.isValidSignature, (digest, signature)));
        return ok && ret.length >= 32 && abi.decode(ret, (bytes4)) == ERC1271_MAGIC;
    }
}
