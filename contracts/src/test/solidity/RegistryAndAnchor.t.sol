// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "./support/Vm.sol";
import {ServiceRegistry} from "../../main/solidity/ServiceRegistry.sol";
import {ReceiptAnchor} from "../../main/solidity/ReceiptAnchor.sol";

contract RegistryAndAnchorTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    ServiceRegistry internal registry;
    ReceiptAnchor internal anchor;
    address internal provider = address(0x9120);
    address internal signer = address(0x5160);
    address internal stranger = address(0x5742);

    function setUp() public {
        registry = new ServiceRegistry();
        anchor = new ReceiptAnchor(registry);
    }

    function terms(string memory name, address receiptSigner) internal pure returns (ServiceRegistry.ServiceTerms memory t) {
        string[] memory models = new string[](1);
        models[0] = "bafkreimodel";
        t = ServiceRegistry.ServiceTerms({
            name: name,
            pluginCid: "bafkreiplugin",
            modelCids: models,
            maxPricePerCall: 1000,
            asset: address(0xA55E7),
            payTo: address(0x9A70),
            receiverAuthorizer: address(0xA07),
            endpoint: "https://node.example/v2",
            receiptSigner: receiptSigner
        });
    }

    function register() internal returns (bytes32 id) {
        vm.prank(provider);
        id = registry.register(terms("text-embedding", signer));
    }

    function test_registerUpdateRetire() public {
        bytes32 id = register();
        vm.assertEq(id, registry.serviceId(provider, "text-embedding"), "id");
        ServiceRegistry.Service memory s = registry.getService(id);
        vm.assertEq(s.provider, provider, "provider");
        vm.assertTrue(s.active, "active");
        vm.assertEq(keccak256(bytes(s.terms.modelCids[0])), keccak256("bafkreimodel"), "model cid");
        vm.assertTrue(registry.isReceiptSigner(provider, signer), "signer authorized");

        ServiceRegistry.ServiceTerms memory t = terms("text-embedding", address(0x5161));
        vm.prank(provider);
        registry.update(id, t);
        vm.assertFalse(registry.isReceiptSigner(provider, signer), "old signer revoked");
        vm.assertTrue(registry.isReceiptSigner(provider, address(0x5161)), "new signer");

        vm.prank(provider);
        registry.retire(id);
        vm.assertFalse(registry.isReceiptSigner(provider, address(0x5161)), "retired service authorizes nobody");
        vm.assertEq(registry.servicesOf(provider).length, 1, "listed once");
        vm.prank(provider);
        registry.register(terms("text-embedding", signer));
        vm.assertEq(registry.servicesOf(provider).length, 1, "re-registration reuses the id");
    }

    function test_registryRejectsStrangersAndBadTerms() public {
        bytes32 id = register();
        ServiceRegistry.ServiceTerms memory t = terms("text-embedding", signer);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ServiceRegistry.NotServiceProvider.selector, id, stranger));
        registry.update(id, t);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ServiceRegistry.ServiceAlreadyActive.selector, id));
        registry.register(t);
        t.name = "renamed";
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(ServiceRegistry.NameIsImmutable.selector, id));
        registry.update(id, t);
        ServiceRegistry.ServiceTerms memory bad = terms("x", address(0));
        vm.expectRevert(abi.encodeWithSelector(ServiceRegistry.ZeroAddressField.selector, "receiptSigner"));
        registry.register(bad);
    }

    function test_onlyRegisteredSignerCommitsAndRangesNeverOverlap() public {
        register();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ReceiptAnchor.NotReceiptSigner.selector, provider, stranger));
        anchor.commit(provider, keccak256("root"), 0, 9);

        vm.startPrank(signer);
        anchor.commit(provider, keccak256("root0"), 0, 9);
        anchor.commit(provider, keccak256("root1"), 10, 19);
        vm.expectRevert(abi.encodeWithSelector(ReceiptAnchor.RangeOverlaps.selector, 19, 19));
        anchor.commit(provider, keccak256("root2"), 19, 30);
        vm.expectRevert(abi.encodeWithSelector(ReceiptAnchor.InvalidRange.selector, 40, 39));
        anchor.commit(provider, keccak256("root2"), 40, 39);
        vm.expectRevert(ReceiptAnchor.EmptyRoot.selector);
        anchor.commit(provider, bytes32(0), 40, 41);
        vm.stopPrank();

        (ReceiptAnchor.Commitment memory c, uint256 index) = anchor.commitmentFor(provider, signer, 15);
        vm.assertEq(c.root, keccak256("root1"), "root for seq 15");
        vm.assertEq(index, 1, "index");
        vm.expectRevert(abi.encodeWithSelector(ReceiptAnchor.SeqNotCommitted.selector, 20));
        anchor.commitmentFor(provider, signer, 20);
    }

    function test_receiptInclusionProof() public {
        register();
        bytes32[4] memory digests = [keccak256("r0"), keccak256("r1"), keccak256("r2"), keccak256("r3")];
        bytes32[4] memory leaves;
        for (uint256 i = 0; i < 4; ++i) leaves[i] = anchor.leafOf(digests[i]);
        bytes32 n01 = _pair(leaves[0], leaves[1]);
        bytes32 n23 = _pair(leaves[2], leaves[3]);
        bytes32 root = _pair(n01, n23);
        vm.prank(signer);
        anchor.commit(provider, root, 100, 103);

        bytes32[] memory proof = new bytes32[](2);
        proof[0] = leaves[3];
        proof[1] = n01;
        vm.assertTrue(anchor.verifyReceipt(provider, signer, 102, digests[2], proof), "receipt 2 included");
        vm.assertFalse(anchor.verifyReceipt(provider, signer, 102, keccak256("forged"), proof), "forged rejected");
        proof[0] = leaves[2];
        proof[1] = n23;
        vm.assertFalse(anchor.verifyReceipt(provider, signer, 100, n01, proof), "inner node is no leaf");
    }

    function testFuzz_rangesStayOrdered(uint64 a, uint64 b, uint64 c) public {
        register();
        vm.startPrank(signer);
        uint64 first = a % 1e9;
        uint64 last = first + (b % 1000);
        anchor.commit(provider, keccak256("x"), first, last);
        uint64 next = c % 2e9;
        if (next <= last) {
            vm.expectRevert(abi.encodeWithSelector(ReceiptAnchor.RangeOverlaps.selector, next, last));
        }
        anchor.commit(provider, keccak256("y"), next, next);
        vm.stopPrank();
    }

    function _pair(bytes32 x, bytes32 y) internal pure returns (bytes32) {
        return x < y ? keccak256(abi.encode(x, y)) : keccak256(abi.encode(y, x));
    }
}
