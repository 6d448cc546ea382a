// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "./Vm.sol";
import {BatchSettlement} from "../../../main/solidity/BatchSettlement.sol";
import {Erc3009DepositCollector} from "../../../main/solidity/Erc3009DepositCollector.sol";
import {DevUsd} from "../../../main/solidity/DevUsd.sol";

/// @notice Shared fixture: token, settlement, collector, and signing helpers built from the contracts' own
///         type hashes so a test reads as the protocol does (sign ERC-3009, deposit, sign voucher, claim).
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    DevUsd internal token;
    BatchSettlement internal settlement;
    Erc3009DepositCollector internal collector;

    uint256 internal payerKey = 0xA11CE;
    uint256 internal sessionKey = 0x5E55;
    uint256 internal receiverAuthKey = 0xB0B;
    address internal payer;
    address internal session;
    address internal receiverAuthorizer;
    address internal receiver = address(0x4ECE17E4);

    function deployFixture() internal {
        payer = vm.addr(payerKey);
        session = vm.addr(sessionKey);
        receiverAuthorizer = vm.addr(receiverAuthKey);
        token = new DevUsd(address(this));
        settlement = new BatchSettlement();
        collector = new Erc3009DepositCollector(address(settlement));
        vm.warp(1_800_000_000);
    }

    function config(bytes32 salt) internal view returns (BatchSettlement.ChannelConfig memory) {
        return BatchSettlement.ChannelConfig({
            payer: payer,
            payerAuthorizer: session,
            receiver: receiver,
            receiverAuthorizer: receiverAuthorizer,
            token: address(token),
            withdrawDelay: 900,
            salt: salt
        });
    }

    function channelId(BatchSettlement.ChannelConfig memory c) internal view returns (bytes32) {
        return settlement.getChannelId(c);
    }

    function sig(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev The malleable twin (s' = n - s, v flipped) of a valid signature: same signer, rejected on chain.
    function highS(bytes memory lowS) internal pure returns (bytes memory) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(lowS, 32))
            s := mload(add(lowS, 64))
            v := byte(0, mload(add(lowS, 96)))
        }
        return abi.encodePacked(r, bytes32(N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
    }

    function erc3009CollectorData(
        uint256 fromKey,
        bytes32 id,
        uint256 amount,
        uint256 salt,
        address to
    ) internal view returns (bytes memory) {
        uint256 validAfter = block.timestamp - 1;
        uint256 validBefore = block.timestamp + 3600;
        bytes32 nonce = keccak256(abi.encode(id, salt));
        bytes32 structHash = keccak256(
            abi.encode(
                token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(),
                vm.addr(fromKey),
                to,
                amount,
                validAfter,
                validBefore,
                nonce
            )
        );
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", token.DOMAIN_SEPARATOR(), structHash));
        return abi.encode(validAfter, validBefore, salt, sig(fromKey, digest));
    }

    function depositFor(BatchSettlement.ChannelConfig memory c, uint128 amount, uint256 salt) internal {
        token.mint(c.payer, amount);
        bytes memory data = erc3009CollectorData(payerKey, channelId(c), amount, salt, address(collector));
        settlement.deposit(c, amount, address(collector), data);
    }

    function voucherClaim(
        BatchSettlement.ChannelConfig memory c,
        uint128 maxClaimable,
        uint128 totalClaimed,
        uint256 signerKey
    ) internal view returns (BatchSettlement.VoucherClaim memory) {
        bytes32 digest = settlement.getVoucherDigest(channelId(c), maxClaimable);
        return BatchSettlement.VoucherClaim({
            voucher: BatchSettlement.Voucher({channel: c, maxClaimableAmount: maxClaimable}),
            signature: sig(signerKey, digest),
            totalClaimed: totalClaimed
        });
    }

    function one(BatchSettlement.VoucherClaim memory row) internal pure returns (BatchSettlement.VoucherClaim[] memory rows) {
        rows = new BatchSettlement.VoucherClaim[](1);
        rows[0] = row;
    }

    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        if (hi <= lo) return lo;
        return lo + (x % (hi - lo + 1));
    }
}
