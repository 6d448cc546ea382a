// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TestBase} from "./support/TestBase.sol";
import {DevUsd} from "../../main/solidity/DevUsd.sol";

contract DevUsdTest is TestBase {
    address internal bob = address(0xB0B0);

    function setUp() public {
        deployFixture();
        token.mint(payer, 1_000_000);
    }

    function test_metadataLooksLikeUsdc() public view {
        vm.assertEq(token.decimals(), 6, "decimals");
        (, string memory name, string memory version,, address verifying,,) = token.eip712Domain();
        vm.assertEq(keccak256(bytes(name)), keccak256(bytes(token.name())), "domain name");
        vm.assertEq(keccak256(bytes(version)), keccak256("1"), "domain version");
        vm.assertEq(verifying, address(token), "domain contract");
    }

    function test_mintOnlyByMinterAndOnlyOnDevChains() public {
        vm.prank(bob);
        vm.expectRevert(DevUsd.NotMinter.selector);
        token.mint(bob, 1);
        vm.chainId(8453);
        vm.expectRevert(abi.encodeWithSelector(DevUsd.MintingDisabled.selector, 8453));
        token.mint(bob, 1);
    }

    function test_permitSetsAllowanceOnceAndRejectsReplay() public {
        uint256 deadline = block.timestamp + 60;
        bytes32 digest = _digest(keccak256(abi.encode(token.PERMIT_TYPEHASH(), payer, bob, 500, 0, deadline)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKey, digest);
        token.permit(payer, bob, 500, deadline, v, r, s);
        vm.assertEq(token.allowance(payer, bob), 500, "allowance");
        vm.assertEq(token.nonces(payer), 1, "nonce");
        vm.expectRevert(DevUsd.InvalidSignature.selector);
        token.permit(payer, bob, 500, deadline, v, r, s);
        vm.prank(bob);
        token.transferFrom(payer, bob, 500);
        vm.assertEq(token.balanceOf(bob), 500, "spent allowance");
    }

    function test_transferWithAuthorizationAndCancel() public {
        bytes32 nonce = keccak256("n1");
        bytes memory auth = _auth(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 100, nonce);
        vm.prank(address(0xCAFE)); // anyone may submit a transfer authorization
        token.transferWithAuthorization(payer, bob, 100, block.timestamp - 1, block.timestamp + 60, nonce, auth);
        vm.assertEq(token.balanceOf(bob), 100, "moved");
        vm.expectRevert(abi.encodeWithSelector(DevUsd.AuthorizationAlreadyUsed.selector, payer, nonce));
        token.transferWithAuthorization(payer, bob, 100, block.timestamp - 1, block.timestamp + 60, nonce, auth);

        bytes32 nonce2 = keccak256("n2");
        bytes memory cancel = sig(
            payerKey, _digest(keccak256(abi.encode(token.CANCEL_AUTHORIZATION_TYPEHASH(), payer, nonce2)))
        );
        token.cancelAuthorization(payer, nonce2, cancel);
        bytes memory auth2 = _auth(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 100, nonce2);
        vm.expectRevert(abi.encodeWithSelector(DevUsd.AuthorizationAlreadyUsed.selector, payer, nonce2));
        token.transferWithAuthorization(payer, bob, 100, block.timestamp - 1, block.timestamp + 60, nonce2, auth2);
    }

    function test_receiveWithAuthorizationOnlyByPayeeAndWithinWindow() public {
        bytes32 nonce = keccak256("r1");
        bytes memory auth = _auth(token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), bob, 100, nonce);
        vm.expectRevert(abi.encodeWithSelector(DevUsd.CallerMustBePayee.selector, address(this), bob));
        token.receiveWithAuthorization(payer, bob, 100, block.timestamp - 1, block.timestamp + 60, nonce, auth);
        vm.warp(block.timestamp + 61);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(DevUsd.AuthorizationExpired.selector, block.timestamp - 1));
        token.receiveWithAuthorization(payer, bob, 100, block.timestamp - 62, block.timestamp - 1, nonce, auth);
    }

    function test_highSAuthorizationRejected() public {
        bytes32 nonce = keccak256("h1");
        bytes memory auth = highS(_auth(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 100, nonce));
        vm.expectRevert(DevUsd.InvalidSignature.selector);
        token.transferWithAuthorization(payer, bob, 100, block.timestamp - 1, block.timestamp + 60, nonce, auth);
    }

    function testFuzz_transfersConserveSupply(uint96 a, uint96 b) public {
        uint256 amount = bound(a, 0, 1_000_000);
        vm.prank(payer);
        token.transfer(bob, amount);
        uint256 back = bound(b, 0, amount);
        vm.prank(bob);
        token.transfer(payer, back);
        vm.assertEq(token.balanceOf(payer) + token.balanceOf(bob), token.totalSupply(), "conserved");
    }

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", token.DOMAIN_SEPARATOR(), structHash));
    }

    function _auth(bytes32 typeHash, address to, uint256 value, bytes32 nonce) internal view returns (bytes memory) {
        bytes32 structHash =
            keccak256(abi.encode(typeHash, payer, to, value, block.timestamp - 1, block.timestamp + 60, nonce));
        return sig(payerKey, _digest(structHash));
    }
}
