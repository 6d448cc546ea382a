// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title ServiceRegistry
/// @notice Where providers announce their paid AI services and where consumers and verifiers look them up:
///         name, plugin and model content ids, maximum price per call, payment terms (asset, payTo,
///         receiverAuthorizer), endpoint and the key that signs the service's inference receipts.
/// @dev A service is identified by `serviceId(provider, name)`, so a provider owns its names and nobody else can
///      change its entries. `isReceiptSigner(provider, signer)` is what the ReceiptAnchor and offline verifiers ask:
///      it is true while at least one active service of the provider names that signer (a reference count, so the
///      question costs one storage read).
contract ServiceRegistry {
    /// @notice What a provider submits when registering or updating a service.
    struct ServiceTerms {
        string name;
        string pluginCid;
        string[] modelCids;
        uint256 maxPricePerCall;
        address asset;
        address payTo;
        address receiverAuthorizer;
        string endpoint;
        address receiptSigner;
    }

    /// @notice A registered service as stored.
    struct Service {
        address provider;
        bool active;
        uint64 registeredAt;
        uint64 updatedAt;
        ServiceTerms terms;
    }

    mapping(bytes32 serviceId => Service) private _services;
    mapping(address provider => bytes32[]) private _serviceIdsByProvider;
    mapping(address provider => mapping(address signer => uint256 activeServices)) private _signerUses;

    event ServiceRegistered(
        bytes32 indexed serviceId, address indexed provider, string name, string pluginCid, address receiptSigner
    );
    event ServiceUpdated(bytes32 indexed serviceId, address indexed provider, string pluginCid, address receiptSigner);
    event ServiceRetired(bytes32 indexed serviceId, address indexed provider);

    error EmptyName();
    error EmptyPluginCid();
    error ZeroAddressField(string field);
    /// @notice The provider already has an active service of that name; update it instead.
    error ServiceAlreadyActive(bytes32 serviceId);
    error UnknownService(bytes32 serviceId);
    error NotServiceProvider(bytes32 serviceId, address caller);
    error ServiceNotActive(bytes32 serviceId);
    /// @notice Updates cannot rename a service: the name is part of its id.
    error NameIsImmutable(bytes32 serviceId);

    /// @notice Registers (or re-activates after retirement) the caller's service named `terms.name`.
    function register(ServiceTerms calldata terms) external returns (bytes32 id) {
        _validate(terms);
        id = serviceId(msg.sender, terms.name);
        Service storage s = _services[id];
        if (s.active) revert ServiceAlreadyActive(id);
        if (s.provider == address(0)) _serviceIdsByProvider[msg.sender].push(id);
        s.provider = msg.sender;
        s.active = true;
        s.registeredAt = uint64(block.timestamp);
        s.updatedAt = uint64(block.timestamp);
        s.terms = terms;
        _signerUses[msg.sender][terms.receiptSigner] += 1;
        emit ServiceRegistered(id, msg.sender, terms.name, terms.pluginCid, terms.receiptSigner);
    }

    /// @notice Replaces the terms of an active service of the caller (new plugin version, price, signer, ...).
    function update(bytes32 id, ServiceTerms calldata terms) external {
        Service storage s = _ownedActive(id);
        _validate(terms);
        if (keccak256(bytes(terms.name)) != keccak256(bytes(s.terms.name))) revert NameIsImmutable(id);
        _signerUses[msg.sender][s.terms.receiptSigner] -= 1;
        _signerUses[msg.sender][terms.receiptSigner] += 1;
        s.terms = terms;
        s.updatedAt = uint64(block.timestamp);
        emit ServiceUpdated(id, msg.sender, terms.pluginCid, terms.receiptSigner);
    }

    /// @notice Takes an active service of the caller out of service; its receipt signer stops being authorized
    ///         unless another active service names it.
    function retire(bytes32 id) external {
        Service storage s = _ownedActive(id);
        s.active = false;
        s.updatedAt = uint64(block.timestamp);
        _signerUses[msg.sender][s.terms.receiptSigner] -= 1;
        emit ServiceRetired(id, msg.sender);
    }

    function serviceId(address provider, string calldata name) public pure returns (bytes32) {
        return keccak256(abi.encode(provider, name));
    }

    function getService(bytes32 id) external view returns (Service memory) {
        Service storage s = _services[id];
        if (s.provider == address(0)) revert UnknownService(id);
        return s;
    }

    /// @notice Every service id the provider ever registered, retired ones included (check `active`).
    function servicesOf(address provider) external view returns (bytes32[] memory) {
        return _serviceIdsByProvider[provider];
    }

    function isReceiptSigner(address provider, address signer) external view returns (bool) {
        return _signerUses[provider][signer] > 0;
    }

    function _ownedActive(bytes32 id) private view returns (Service storage s) {
        s = _services[id];
        if (s.provider == address(0)) revert UnknownService(id);
        if (s.provider != msg.sender) revert NotServiceProvider(id, msg.sender);
        if (!s.active) revert ServiceNotActive(id);
    }

    function _validate(ServiceTerms calldata terms) private pure {
        if (bytes(terms.name).length == 0) revert EmptyName();
        if (bytes(terms.pluginCid).length == 0) revert EmptyPluginCid();
        if (terms.asset == address(0)) revert ZeroAddressField("asset");
        if (terms.payTo == address(0)) revert ZeroAddressField("payTo");
        if (terms.receiverAuthorizer == address(0)) revert ZeroAddressField("receiverAuthorizer");
        if (terms.receiptSigner == address(0)) revert ZeroAddressField("receiptSigner");
    }
}
