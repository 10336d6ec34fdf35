#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SignalProtocol
import WABinary

/// The WhatsApp client above the link layer, pure: inputs (commands, link events, timers) with the time and a
/// random source in; actions out (connect, send a node, schedule a timer, write the store, report).
///
/// Overview: ``ConnectionStateMachine`` is the link (handshake and encrypted node pipe). This machine makes every
/// WhatsApp decision: what to answer to `pair-device` and `pair-success` (docs/protocol/lower.md §5), what
/// `success`, `failure` and `stream:error` mean (§6.1, §6.3, §6.4), when to reconnect (§6.6), keep-alive (§6.2),
/// IQ ids and deadlines. A reconnect is a fresh link attempt; each attempt has a number, and events from an
/// older attempt are ignored (a late `401` from the socket a `515` closed is not a logout).
///
/// Function: feed ``handle(_:now:random:)``; perform the returned actions in order. ``status`` is the current
/// engine status.
public struct WAClientStateMachine: Sendable {
    /// Timings and limits; the defaults follow docs/protocol/lower.md §5.4, §6.1, §6.2.
    public struct Configuration: Sendable, Equatable {
        /// The first QR ref is shown for 60 s, each later one for 20 s (§5.4).
        public var firstRefDuration: TimeInterval = 60
        public var nextRefDuration: TimeInterval = 20
        /// Keep-alive interval, uniform in [20 s, 30 s), and the response deadline (docs/protocol/lower.md §6.2).
        public var keepAliveInterval: ClosedRange<TimeInterval> = 20...30
        public var keepAliveDeadline: TimeInterval = 10
        /// IQ deadline (whatsmeow: 75 s).
        public var iqTimeout: TimeInterval = 75
        /// Reconnect backoff: base × 2^(n-1), capped, times a jitter factor in `reconnectJitter`.
        public var reconnectBase: TimeInterval = 1
        public var reconnectCap: TimeInterval = 60
        public var reconnectJitter: ClosedRange<Double> = 0.8...1.2
        /// When an established link drops, the first reconnect is immediate (as whatsmeow's first, 0 s:
        /// docs/protocol/lower.md §6.6), at most once per this interval; otherwise the backoff applies.
        public var immediateReconnectInterval: TimeInterval = 60
        /// Link attempts that fail in a row during linking before giving up (state unlinked).
        public var linkingAttempts = 3
        /// How long the pairing code is shown before a new one is made (docs/protocol/lower.md §5.7 lifetime rules: 3.25 min).
        public var pairingCodeLifetime: TimeInterval = 195
        /// A new code when `pair-success` has not come this long after `primary_hello` (§5.7: 1 min).
        public var pairSuccessAfterPrimaryHello: TimeInterval = 60
        /// `primary_hello` is accepted only this long after the code was made (§5.7: 180 s), at most 3 times.
        public var primaryHelloWindow: TimeInterval = 180
        public var primaryHellosPerCode = 3
        /// Automatic code regenerations before the flow stops (docs/protocol/lower.md §5.7: 5).
        public var pairingCodeRegenerations = 5
        /// How often a second engine retries the account lock.
        public var lockRetryInterval: TimeInterval = 5
        /// The QR platform id (docs/protocol/lower.md §5.3).
        public var platform: WAQRPlatform = .otherWebClient
        /// `companion_platform_display` for code pairing: "<Browser> (<OS>)" (§5.7).
        public var platformDisplay = "Chrome (Linux)"

        public init() {}
    }

    /// Commands, link events and timers.
    public enum Input: Sendable {
        /// The store is open: the stored keys and account, if linked.
        case start(keys: DeviceKeys?, account: LinkedAccount?)
        /// Another process holds the account lock.
        case lockBusy
        /// The user asks to connect again after a stop (replaced, banned, client outdated, given up).
        case resume
        /// Link a new account with these fresh keys.
        case link(WALinkMethod, keys: DeviceKeys)
        case cancelLink
        case logout
        case stop
        /// An event from link attempt `attempt`.
        case connection(attempt: Int, ConnectionEvent)
        /// Link attempt `attempt` could not be opened (transport or handshake).
        case connectFailed(attempt: Int)
        case timer(WAClientTimer)
        /// A store write failed: the engine cannot go on.
        case storeFailed
    }

    /// What the driver must do, in order.
    public enum Action: Sendable, Equatable {
        /// Open link attempt `attempt` with these keys: a registration payload, or a login as `account`.
        case connect(attempt: Int, keys: DeviceKeys, login: LinkedAccount?)
        /// Close the current link attempt.
        case disconnect
        case send(BinaryNode)
        case schedule(WAClientTimer, after: TimeInterval)
        case cancel(WAClientTimer)
        case status(WAClientStatus)
        /// Render and report a QR code.
        case showQR(code: String, expiresAt: Date, index: Int)
        case showPairingCode(code: String, expiresAt: Date)
        /// Store the link in one transaction (before the `pair-device-sign` reply is sent).
        case saveLink(keys: DeviceKeys, identity: LinkedIdentity, account: LinkedAccount, primaryIdentity: [UInt8])
        /// Record our LID (from `<success>`).
        case saveLID(String)
        /// The first `<success>` after pairing: mark the stored link confirmed, with our LID when named, in one
        /// transaction.
        case confirmLink(lid: String?)
        /// Record the account's push name (from the `notify` of a message of our own account).
        case savePushName(String)
        /// Generate `count` one-time prekeys, store them, and send them in IQ `id` (docs/protocol/lower.md §6.1).
        case uploadPreKeys(id: String, count: Int)
        /// A contact's identity changed (docs/protocol/upper.md §1.11): delete every stored identity and Signal
        /// session of the address name `addressName` (all its devices) in one transaction, then report
        /// ``WAClientEvent/identityChanged(jid:)`` for `jid`. The next message to or from them starts a fresh session
        /// and trusts the new key.
        case forgetIdentity(addressName: String, jid: String)
        /// Delete every key and record of the account.
        case wipe
        /// Retry the account lock.
        case retryLock
        /// A line for the log (never key material or message content).
        case log(String)
    }

    public let configuration: Configuration
    public private(set) var status = WAClientStatus(state: .unlinked)
    /// The current link attempt's number (events from others are ignored).
    public private(set) var attempt = 0
    public private(set) var keys: DeviceKeys?
    public private(set) var account: LinkedAccount?
    public private(set) var iqs: IQTracker

    private var phase: Phase = .idle
    private var reconnectFailures = 0
    private var lastImmediateReconnect: Date?
    private var pendingKeepAlive: String?

    private enum Phase: Sendable {
        case idle
        case linking(Linking)
        /// `pair-success` handled; waiting for the 515.
        case paired
        case connecting
        case connected
        case waitingToReconnect
        /// Final until the user acts (unlinked, stopped, loggedOut).
        case halted
    }

    struct Linking: Sendable {
        var method: WALinkMethod
        var refs: [String] = []
        var index = 0
        var expiresAt: Date?
        var failures = 0
        var code: CodeFlow?
    }

    struct CodeFlow: Sendable {
        var phone: String
        var code: String
        var ephemeral: Curve25519PrivateKey
        var helloID: String
        var ref: String?
        var createdAt: Date
        /// Automatic regenerations so far (at most ``Configuration/pairingCodeRegenerations``).
        var regenerations = 0
        /// `primary_hello`s processed for this code (at most 3).
        var primaryHellos = 0
    }

    public init(configuration: Configuration = Configuration(), idPrefix: String) {
        self.configuration = configuration
        self.iqs = IQTracker(prefix: idPrefix)
    }

    // MARK: - Inputs

    public mutating func handle(_ input: Input, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        switch input {
        case .start(let keys, let account):
            self.keys = keys
            self.account = account
            if keys != nil, account != nil { return connect(now: now) }
            phase = .halted
            return report(WAClientStatus(state: .unlinked), always: true)
        case .lockBusy:
            phase = .halted
            return report(WAClientStatus(state: .stopped, reason: .inUseElsewhere))
                + [.schedule(.lockRetry, after: configuration.lockRetryInterval)]
        case .resume:
            guard case .halted = phase, status.reason != .inUseElsewhere, keys != nil, account != nil else { return [] }
            reconnectFailures = 0
            return connect(now: now)
        case .link(let method, let keys):
            return link(method, keys: keys, now: now)
        case .cancelLink:
            guard case .linking = phase else { return [] }
            phase = .halted
            return closeLink() + report(WAClientStatus(state: .unlinked, reason: .cancelled))
        case .logout:
            return logout()
        case .stop:
            phase = .idle
            return closeLink()
        case .connection(let number, let event):
            guard number == attempt else { return [] }
            return connection(event, now: now, random: &random)
        case .connectFailed(let number):
            guard number == attempt else { return [] }
            return linkLost(.network, now: now, random: &random)
        case .timer(let timer):
            return fired(timer, now: now, random: &random)
        case .storeFailed:
            phase = .halted
            return closeLink() + report(WAClientStatus(state: .unavailable, reason: .storeUnavailable))
        }
    }

    /// Whether ``Input/link(_:keys:)`` would be refused because an account is linked.
    public var isLinked: Bool { account != nil }

    // MARK: - Commands

    private mutating func link(_ method: WALinkMethod, keys: DeviceKeys, now: Date) -> [Action] {
        guard account == nil else { return [] }
        var actions: [Action] = []
        if case .linking = phase { actions += closeLink() }
        self.keys = keys
        phase = .linking(Linking(method: method))
        attempt += 1
        actions += report(WAClientStatus(state: .linking, method: method.kind))
        actions.append(.connect(attempt: attempt, keys: keys, login: nil))
        return actions
    }

    private mutating func logout() -> [Action] {
        var actions: [Action] = []
        if case .connected = phase, let account {
            let id = iqs.next()
            actions.append(
                .send(
                    BinaryNode(
                        tag: "iq", attributes: ["xmlns": "md", "type": "set", "to": .jid(JID.serverJID), "id": .string(id)],
                        children: [
                            BinaryNode(
                                tag: "remove-companion-device",
                                attributes: ["jid": .jid(account.jid), "reason": "user_initiated"])
                        ])))
        }
        phase = .halted
        account = nil
        keys = nil
        return actions + closeLink() + [.wipe] + report(WAClientStatus(state: .loggedOut, reason: .loggedOutByUser))
    }

    // MARK: - Link events

    private mutating func connection(
        _ event: ConnectionEvent, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        switch event {
        case .handshakeCompleted, .streamEnd:
            return []
        case .disconnected:
            return linkLost(.network, now: now, random: &random)
        case .node(let node):
            return route(node, now: now, random: &random)
        }
    }

    /// The node router, keyed by tag (and xmlns / child for IQs).
    private mutating func route(_ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        switch node.tag {
        case "success": return success(node, now: now, random: &random)
        case "failure": return failure(node, now: now, random: &random)
        case "stream:error": return streamError(node, now: now, random: &random)
        case "iq": return iq(node, now: now, random: &random)
        case "notification": return notification(node, now: now, random: &random)
        case "message": return message(node)
        default: return []
        }
    }

    private mutating func iq(_ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        let type = node.string("type")
        if type == "result" || type == "error", let id = node.string("id") {
            return response(id: id, node: node, now: now, random: &random)
        }
        guard node.jid("from") == JID.serverJID, let id = node.string("id") else { return [] }
        if node.child("pair-device") != nil, node.children.count == 1, type == "set" {
            return pairDevice(node, id: id, now: now, random: &random)
        }
        if let success = PairSuccess(node: node) {
            return pairSuccess(success, now: now, random: &random)
        }
        if type == "get", node.string("xmlns") == "urn:xmpp:ping" {
            return [.send(BinaryNode(tag: "iq", attributes: ["to": .jid(JID.serverJID), "id": .string(id), "type": "result"]))]
        }
        return []
    }

    // MARK: Pairing (docs/protocol/lower.md §5)

    private mutating func pairDevice(
        _ node: BinaryNode, id: String, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        // docs/protocol/lower.md §5.2: acknowledge at once.
        var actions: [Action] = [
            .send(BinaryNode(tag: "iq", attributes: ["to": .jid(JID.serverJID), "id": .string(id), "type": "result"]))
        ]
        guard case .linking(var linking) = phase else { return actions }
        let refs = node.child("pair-device")?.children("ref").compactMap { $0.contentBytes }.map {
            String(decoding: $0, as: UTF8.self)
        } ?? []
        guard !refs.isEmpty else { return actions }
        linking.refs = refs
        linking.index = 0
        linking.failures = 0
        switch linking.method {
        case .qr:
            let expiresAt = now.addingTimeInterval(configuration.firstRefDuration)
            linking.expiresAt = expiresAt
            phase = .linking(linking)
            actions.append(showQR(linking, expiresAt: expiresAt))
            actions.append(.schedule(.qrRotation, after: configuration.firstRefDuration))
        case .phoneNumber(let phone):
            phase = .linking(linking)
            actions += startCodeFlow(phone: phone, now: now, random: &random)
        }
        return actions
    }

    private func showQR(_ linking: Linking, expiresAt: Date) -> Action {
        let keys = self.keys!
        let code = WAQRString.make(
            ref: linking.refs[linking.index], noisePublicKey: keys.noiseKey.publicKey,
            identityPublicKey: keys.identity.publicKey.rawRepresentation, advSecret: keys.advSecret,
            platform: configuration.platform)
        return .showQR(code: code, expiresAt: expiresAt, index: linking.index + 1)
    }

    private mutating func rotateQR(now: Date) -> [Action] {
        guard case .linking(var linking) = phase, case .qr = linking.method, !linking.refs.isEmpty else { return [] }
        linking.index += 1
        guard linking.index < linking.refs.count else {
            // docs/protocol/lower.md §5.4: every ref used. Our rule: keep the socket only while a code flow is outstanding (none for QR).
            phase = .halted
            return closeLink() + report(WAClientStatus(state: .unlinked, reason: .qrExpired))
        }
        let expiresAt = now.addingTimeInterval(configuration.nextRefDuration)
        linking.expiresAt = expiresAt
        phase = .linking(linking)
        return [showQR(linking, expiresAt: expiresAt), .schedule(.qrRotation, after: configuration.nextRefDuration)]
    }

    private mutating func pairSuccess(
        _ success: PairSuccess, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        guard case .linking = phase, let keys else {
            return [.send(ADVVerification.errorNode(id: success.id, error: .malformedIdentity))]
        }
        do {
            let identity = try ADVVerification.verify(
                deviceIdentity: success.deviceIdentity, advSecret: keys.advSecret, identity: keys.identity,
                signingRandom: randomBytes(64, using: &random))
            let account = LinkedAccount(
                jid: success.jid, lid: success.lid, pushName: nil, platform: success.platform,
                businessName: success.businessName, confirmed: false)
            self.account = account
            phase = .paired
            return [
                .cancel(.qrRotation), .cancel(.pairingCodeRefresh),
                .saveLink(keys: keys, identity: identity, account: account, primaryIdentity: identity.accountSignatureKey),
                .send(ADVVerification.replyNode(id: success.id, identity: identity)),
                .send(Self.unifiedSession(now: now, serverTime: success.serverTime)),
                .log("paired"),
            ]
        } catch {
            phase = .halted
            return [.send(ADVVerification.errorNode(id: success.id, error: error)), .cancel(.qrRotation)]
                + closeLink() + report(WAClientStatus(state: .unlinked, reason: .pairingFailed))
        }
    }

    // MARK: Notifications

    private mutating func notification(
        _ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        var actions: [Action] = []
        if let id = node.string("id"), let from = node.attributes["from"] {
            var attributes: BinaryNode.Attributes = ["class": "notification", "id": .string(id), "to": from]
            if let type = node.attributes["type"] { attributes["type"] = type }
            actions.append(.send(BinaryNode(tag: "ack", attributes: attributes)))
        }
        guard node.jid("from") == JID.serverJID else {
            if node.string("type") == "encrypt", node.child("identity") != nil, let from = node.jid("from") {
                actions += identityChange(from)
            }
            return actions
        }
        switch node.string("type") {
        case "companion_reg_refresh":
            // docs/protocol/lower.md §5.4: new ADV secret, redraw the current ref (same expiry); ignored once paired.
            guard case .linking(let linking) = phase, var keys else { return actions }
            guard node.child("companion_reg_refresh") != nil || node.child("pair-device-rotate-qr") != nil
                || node.children.isEmpty
            else { return actions }
            keys.advSecret = randomBytes(32, using: &random)
            self.keys = keys
            actions.append(.log("ADV secret rotated (companion_reg_refresh)"))
            if case .qr = linking.method, !linking.refs.isEmpty, let expiresAt = linking.expiresAt {
                actions.append(showQR(linking, expiresAt: expiresAt))
            }
        case "passkey_prologue_request":
            guard case .linking = phase else { return actions }
            phase = .halted
            actions += [.cancel(.qrRotation)] + closeLink()
                + report(WAClientStatus(state: .unlinked, reason: .passkeyRequired))
        case "encrypt":
            if case .connected = phase, let count = node.child("count")?.int("value"), count < 5 {
                let id = iqs.next()
                actions.append(.uploadPreKeys(id: id, count: 50))
            }
        case "link_code_companion_reg":
            actions += linkCode(node, now: now, random: &random)
        default:
            break
        }
        return actions
    }

    /// `<notification from="<user>" type="encrypt"><identity/></notification>` (docs/protocol/upper.md §1.11): the
    /// contact reinstalled WhatsApp or changed phone. Accepted by default, as whatsmeow does: forget their identities
    /// and sessions, and tell the user. Our own account's (a new companion of ours) is only acked.
    private func identityChange(_ from: JID) -> [Action] {
        guard let account, let name = from.signalAddressName else { return [] }
        guard from.user != account.jid.user, from.user != account.lid?.user else { return [] }
        let user = JID(user: from.user, server: from.server)
        return [.forgetIdentity(addressName: name, jid: user.description), .log("identity changed for a contact")]
    }

    // MARK: Messages

    /// Longest push name kept (WhatsApp allows 25 characters; this bounds what a hostile server can make us store).
    static let maximumPushNameBytes = 256

    /// The account's own push name: the `notify` of a `<message>` from another device of our account
    /// (docs/protocol/upper.md §5.1; Baileys takes its own name this way). After linking, the phone's first peer
    /// messages carry it. Message content is not handled here yet.
    private mutating func message(_ node: BinaryNode) -> [Action] {
        guard case .connected = phase, var account, let from = node.jid("from"),
            from.user == account.jid.user || (account.lid.map { from.user == $0.user } ?? false),
            from.device != account.jid.device,
            let name = node.string("notify"), !name.isEmpty, name.utf8.count <= Self.maximumPushNameBytes,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
            name != account.pushName
        else { return [] }
        account.pushName = name
        self.account = account
        return [.savePushName(name)] + report(status)
    }

    // MARK: Pairing code (docs/protocol/lower.md §5.7)

    private mutating func startCodeFlow(
        phone: String, regenerations: Int = 0, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        guard case .linking(var linking) = phase, let keys else { return [] }
        guard regenerations <= configuration.pairingCodeRegenerations else {
            // docs/protocol/lower.md §5.7: after 5 automatic regenerations the user must ask for a new code (link.start again).
            phase = .halted
            return [.cancel(.pairingCodeRefresh)] + closeLink()
                + report(WAClientStatus(state: .unlinked, reason: .pairingCodeFailed))
        }
        let code = PairingCodeCrypto.code(from: randomBytes(5, using: &random))
        let ephemeral = Curve25519PrivateKey(using: &random)
        guard
            let wrapped = try? PairingCodeCrypto.wrap(
                publicKey: ephemeral.publicKey.rawRepresentation, code: code, salt: randomBytes(32, using: &random),
                iv: randomBytes(16, using: &random))
        else { return [] }
        let id = iqs.next(.companionHello)
        linking.code = CodeFlow(
            phone: phone, code: code, ephemeral: ephemeral, helloID: id, ref: nil, createdAt: now,
            regenerations: regenerations)
        phase = .linking(linking)
        let hello = BinaryNode(
            tag: "iq", attributes: ["to": .jid(JID.serverJID), "type": "set", "xmlns": "md", "id": .string(id)],
            children: [
                BinaryNode(
                    tag: "link_code_companion_reg",
                    attributes: [
                        "jid": .jid(JID(user: phone, server: JID.userServer)), "stage": "companion_hello",
                        "should_show_push_notification": "true",
                    ],
                    children: [
                        BinaryNode(tag: "link_code_pairing_wrapped_companion_ephemeral_pub", bytes: wrapped),
                        BinaryNode(tag: "companion_server_auth_key_pub", bytes: keys.noiseKey.publicKey),
                        BinaryNode(tag: "companion_platform_id", bytes: Array(configuration.platform.rawValue.utf8)),
                        BinaryNode(tag: "companion_platform_display", bytes: Array(configuration.platformDisplay.utf8)),
                        BinaryNode(tag: "link_code_pairing_nonce", bytes: [0]),
                    ])
            ])
        return [.send(hello), .schedule(.iqTimeout(id), after: configuration.iqTimeout)]
    }

    private mutating func linkCode(
        _ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        guard case .linking(var linking) = phase, let flow = linking.code, var keys,
            let inner = node.child("link_code_companion_reg")
        else { return [] }
        let ref = inner.child("link_code_pairing_ref")?.contentBytes.map { String(decoding: $0, as: UTF8.self) }
        guard ref != nil, ref == flow.ref else { return [] }
        switch inner.string("stage") {
        case "refresh_code":
            if inner.string("force_manual_refresh") == "true" {
                phase = .halted
                return closeLink() + report(WAClientStatus(state: .unlinked, reason: .pairingCodeFailed))
            }
            return startCodeFlow(phone: flow.phone, regenerations: flow.regenerations + 1, now: now, random: &random)
        case "primary_hello", nil:
            guard now.timeIntervalSince(flow.createdAt) <= configuration.primaryHelloWindow,
                flow.primaryHellos < configuration.primaryHellosPerCode
            else { return [.log("primary_hello outside its window, ignored")] }
            guard let wrapped = inner.child("link_code_pairing_wrapped_primary_ephemeral_pub")?.contentBytes,
                let primaryIdentity = inner.child("primary_identity_pub")?.contentBytes,
                let finish = try? PairingCodeCrypto.finish(
                    code: flow.code, wrappedPrimaryEphemeral: wrapped, primaryIdentityPublicKey: primaryIdentity,
                    companionEphemeral: flow.ephemeral, companionIdentity: keys.identity,
                    advSecretRandom: randomBytes(32, using: &random), keyBundleSalt: randomBytes(32, using: &random),
                    keyBundleNonce: randomBytes(12, using: &random))
            else {
                phase = .halted
                return closeLink() + report(WAClientStatus(state: .unlinked, reason: .pairingCodeFailed))
            }
            keys.advSecret = finish.advSecret
            self.keys = keys
            let id = iqs.next()
            var updated = flow
            updated.primaryHellos += 1
            linking.code = updated
            phase = .linking(linking)
            return [
                .schedule(.pairingCodeRefresh, after: configuration.pairSuccessAfterPrimaryHello),
                .send(
                    BinaryNode(
                        tag: "iq", attributes: ["to": .jid(JID.serverJID), "type": "set", "xmlns": "md", "id": .string(id)],
                        children: [
                            BinaryNode(
                                tag: "link_code_companion_reg",
                                attributes: [
                                    "jid": .jid(JID(user: flow.phone, server: JID.userServer)), "stage": "companion_finish",
                                ],
                                children: [
                                    BinaryNode(tag: "link_code_pairing_wrapped_key_bundle", bytes: finish.wrappedKeyBundle),
                                    BinaryNode(tag: "companion_identity_public", bytes: keys.identity.publicKey.rawRepresentation),
                                    BinaryNode(tag: "link_code_pairing_ref", bytes: Array((flow.ref ?? "").utf8)),
                                ])
                        ]))
            ]
        default:
            return []
        }
    }

    // MARK: IQ responses

    private mutating func response(
        id: String, node: BinaryNode, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        guard let purpose = iqs.resolve(id) else { return [] }
        var actions: [Action] = [.cancel(.iqTimeout(id))]
        switch purpose {
        case .keepAlive:
            pendingKeepAlive = nil
            actions.append(.cancel(.keepAliveDeadline))
            actions.append(.schedule(.keepAlive, after: keepAliveInterval(&random)))
        case .preKeyCount:
            if let count = node.child("count")?.int("value"), count < 5 {
                actions.append(.uploadPreKeys(id: iqs.next(), count: count == 0 ? 812 : 50))
            }
        case .companionHello:
            guard case .linking(var linking) = phase, var flow = linking.code else { break }
            guard node.string("type") == "result",
                let ref = node.child(path: "link_code_companion_reg", "link_code_pairing_ref")?.contentBytes, !ref.isEmpty
            else {
                phase = .halted
                return actions + closeLink() + report(WAClientStatus(state: .unlinked, reason: .pairingCodeFailed))
            }
            flow.ref = String(decoding: ref, as: UTF8.self)
            linking.code = flow
            phase = .linking(linking)
            // docs/protocol/lower.md §5.7: show the code only once the server accepted it.
            actions.append(
                .showPairingCode(code: flow.code, expiresAt: now.addingTimeInterval(configuration.pairingCodeLifetime)))
            actions.append(.schedule(.pairingCodeRefresh, after: configuration.pairingCodeLifetime))
        case .other:
            break
        }
        return actions
    }

    // MARK: Login, failures and stream errors (docs/protocol/lower.md §6)

    private mutating func success(_ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        guard case .connecting = phase, var account else { return [] }
        phase = .connected
        reconnectFailures = 0
        var actions: [Action] = []
        let lid = node.jid("lid") ?? node.string("lid").flatMap({ try? JID(parsing: $0) })
        if !account.confirmed {
            account.confirmed = true
            if let lid { account.lid = lid }
            self.account = account
            actions.append(.confirmLink(lid: lid?.description))
        } else if let lid, account.lid != lid {
            account.lid = lid
            self.account = account
            actions.append(.saveLID(lid.description))
        }
        actions += report(WAClientStatus(state: .connected))
        // docs/protocol/lower.md §6.1: prekey count (upload when low), passive → active, presence unavailable.
        let countID = iqs.next(.preKeyCount)
        actions.append(
            .send(
                BinaryNode(
                    tag: "iq", attributes: ["xmlns": "encrypt", "type": "get", "to": .jid(JID.serverJID), "id": .string(countID)],
                    children: [BinaryNode(tag: "count")])))
        actions.append(.schedule(.iqTimeout(countID), after: configuration.iqTimeout))
        let activeID = iqs.next()
        actions.append(
            .send(
                BinaryNode(
                    tag: "iq", attributes: ["xmlns": "passive", "type": "set", "to": .jid(JID.serverJID), "id": .string(activeID)],
                    children: [BinaryNode(tag: "active")])))
        actions.append(.send(BinaryNode(tag: "presence", attributes: ["type": "unavailable"])))
        actions.append(.schedule(.keepAlive, after: keepAliveInterval(&random)))
        return actions
    }

    private mutating func failure(_ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        let reason = node.int("reason") ?? 500
        switch reason {
        case 401:
            return loggedOutByPhone()
        case 402, 403, 406:
            let until = node.int("expire").map { now.addingTimeInterval(TimeInterval($0)) }
            return halt(WAClientStatus(state: .stopped, reason: .banned, until: until, code: node.int("code") ?? reason))
        case 405:
            return halt(WAClientStatus(state: .stopped, reason: .clientOutdated, code: 405))
        case 500, 503:
            return linkLost(.serverUnavailable, now: now, random: &random)
        default:
            return halt(WAClientStatus(state: .stopped, code: reason))
        }
    }

    private mutating func streamError(_ node: BinaryNode, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        let code = node.int("code")
        let conflict = node.child("conflict")?.string("type")
        if code == 515 {
            // docs/protocol/lower.md §5.6 / §6.3: restart required (always after pairing): a new link attempt at once, logging in.
            guard account != nil else { return linkLost(.network, now: now, random: &random) }
            return closeLink() + report(WAClientStatus(state: .disconnected, reason: .restart, retryAt: now))
                + connect(now: now)
        }
        if code == 401 || code == 516 || conflict == "device_removed" { return loggedOutByPhone() }
        if conflict == "replaced" { return halt(WAClientStatus(state: .stopped, reason: .replaced, code: 440)) }
        if code == 503 { return linkLost(.serverUnavailable, now: now, random: &random) }
        return linkLost(.network, now: now, random: &random)
    }

    /// 401 / device removed. For a link no `<success>` has confirmed yet, the server is refusing credentials it never
    /// accepted: the `pair-device-sign` did not reach it (docs/protocol/lower.md §5.6 steps 6–7: stored before the
    /// reply, so a crash between the two leaves such a link). Nothing was logged out: the link did not complete, and
    /// the engine starts over (unlinked, `linkIncomplete`). Either way the keys are wiped.
    private mutating func loggedOutByPhone() -> [Action] {
        let completed = account?.confirmed ?? true
        account = nil
        keys = nil
        phase = .halted
        let status =
            completed
            ? WAClientStatus(state: .loggedOut, reason: .loggedOutByPhone)
            : WAClientStatus(state: .unlinked, reason: .linkIncomplete)
        return closeLink() + [.wipe] + report(status)
    }

    private mutating func halt(_ status: WAClientStatus) -> [Action] {
        phase = .halted
        return closeLink() + report(status)
    }

    /// The link ended without a decision: reconnect with backoff (or, while linking, try again a few times).
    private mutating func linkLost(
        _ reason: WAClientStatus.Reason, now: Date, random: inout some RandomNumberGenerator
    ) -> [Action] {
        switch phase {
        case .idle, .halted, .waitingToReconnect:
            return []
        case .linking(var linking):
            linking.failures += 1
            if linking.failures >= configuration.linkingAttempts {
                phase = .halted
                return closeLink() + report(WAClientStatus(state: .unlinked, reason: reason == .network ? nil : reason))
            }
            // The next attempt gets new refs: the current QR is dead.
            linking.refs = []
            linking.index = 0
            linking.expiresAt = nil
            phase = .linking(linking)
            let delay = backoff(linking.failures, random: &random)
            return [.cancel(.qrRotation)] + closeLink() + [.schedule(.reconnect, after: delay)]
        case .paired, .connecting, .connected:
            reconnectFailures += 1
            var delay = backoff(reconnectFailures, random: &random)
            if case .connected = phase,
                lastImmediateReconnect.map({ now.timeIntervalSince($0) >= configuration.immediateReconnectInterval }) ?? true
            {
                lastImmediateReconnect = now
                delay = 0
            }
            phase = .waitingToReconnect
            return closeLink()
                + report(WAClientStatus(state: .disconnected, reason: reason, retryAt: now.addingTimeInterval(delay)))
                + [.schedule(.reconnect, after: delay)]
        }
    }

    /// base × 2^(n-1), capped, times a jitter factor (never above the cap).
    func backoff(_ failures: Int, random: inout some RandomNumberGenerator) -> TimeInterval {
        let exponent = min(max(failures - 1, 0), 30)
        let base = min(configuration.reconnectCap, configuration.reconnectBase * Double(1 << exponent))
        let jitter = Double.random(in: configuration.reconnectJitter, using: &random)
        return min(configuration.reconnectCap, base * jitter)
    }

    private func keepAliveInterval(_ random: inout some RandomNumberGenerator) -> TimeInterval {
        let range = configuration.keepAliveInterval
        return range.lowerBound == range.upperBound ? range.lowerBound : Double.random(in: range, using: &random)
    }

    // MARK: - Timers

    private mutating func fired(_ timer: WAClientTimer, now: Date, random: inout some RandomNumberGenerator) -> [Action] {
        switch timer {
        case .qrRotation:
            return rotateQR(now: now)
        case .reconnect:
            switch phase {
            case .waitingToReconnect: return connect(now: now)
            case .linking(let linking):
                guard let keys else { return [] }
                phase = .linking(Linking(method: linking.method, failures: linking.failures))
                attempt += 1
                return [.connect(attempt: attempt, keys: keys, login: nil)]
            default: return []
            }
        case .keepAlive:
            guard case .connected = phase else { return [] }
            let id = iqs.next(.keepAlive)
            pendingKeepAlive = id
            return [
                .send(
                    BinaryNode(
                        tag: "iq", attributes: ["id": .string(id), "xmlns": "w:p", "type": "get", "to": .jid(JID.serverJID)])),
                .schedule(.keepAliveDeadline, after: configuration.keepAliveDeadline),
            ]
        case .keepAliveDeadline:
            guard case .connected = phase, let id = pendingKeepAlive else { return [] }
            _ = iqs.resolve(id)
            pendingKeepAlive = nil
            return [.log("keep-alive unanswered")] + linkLost(.keepAliveTimeout, now: now, random: &random)
        case .iqTimeout(let id):
            guard let purpose = iqs.resolve(id) else { return [] }
            if case .companionHello = purpose, case .linking = phase {
                phase = .halted
                return closeLink() + report(WAClientStatus(state: .unlinked, reason: .pairingCodeFailed))
            }
            return [.log("iq \(id) timed out")]
        case .pairingCodeRefresh:
            guard case .linking(let linking) = phase, let flow = linking.code else { return [] }
            return startCodeFlow(phone: flow.phone, regenerations: flow.regenerations + 1, now: now, random: &random)
        case .lockRetry:
            return [.retryLock]
        }
    }

    // MARK: - Helpers

    /// `<ib><unified_session id=…/></ib>` (docs/protocol/lower.md §6.1): id = (now_ms + server offset + 3 days) mod 7 days.
    static func unifiedSession(now: Date, serverTime: Int64?) -> BinaryNode {
        let day: Int64 = 86_400_000
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let offset = serverTime.map { $0 * 1000 - nowMs } ?? 0
        let id = ((nowMs + offset + 3 * day) % (7 * day) + 7 * day) % (7 * day)
        return BinaryNode(tag: "ib", children: [BinaryNode(tag: "unified_session", attributes: ["id": .string(String(id))])])
    }

    private mutating func connect(now: Date) -> [Action] {
        guard let keys, let account else { return [] }
        phase = .connecting
        attempt += 1
        return report(WAClientStatus(state: .connecting)) + [.connect(attempt: attempt, keys: keys, login: account)]
    }

    /// Closes the current attempt: later events from it are ignored.
    private mutating func closeLink() -> [Action] {
        attempt += 1
        pendingKeepAlive = nil
        iqs.removeAll()
        return [.cancel(.keepAlive), .cancel(.keepAliveDeadline), .disconnect]
    }

    private mutating func report(_ new: WAClientStatus, always: Bool = false) -> [Action] {
        var new = new
        if let account { new.account = account.statusAccount }
        guard always || new != status else { return [] }
        status = new
        return [.status(new)]
    }
}

/// The machine's timers; the driver keeps at most one of each.
public enum WAClientTimer: Sendable, Hashable {
    case qrRotation, reconnect, keepAlive, keepAliveDeadline, pairingCodeRefresh, lockRetry
    case iqTimeout(String)
}

/// The linked account as the machine knows it.
public struct LinkedAccount: Sendable, Equatable {
    public var jid: JID
    public var lid: JID?
    public var pushName: String?
    public var platform: String?
    public var businessName: String?
    /// Whether a `<success>` has confirmed the link since `pair-success` (``DeviceRecord/linkConfirmed``).
    public var confirmed: Bool

    public init(
        jid: JID, lid: JID?, pushName: String?, platform: String?, businessName: String? = nil, confirmed: Bool = true
    ) {
        self.jid = jid
        self.lid = lid
        self.pushName = pushName
        self.platform = platform
        self.businessName = businessName
        self.confirmed = confirmed
    }

    var statusAccount: WAClientStatus.Account {
        WAClientStatus.Account(jid: jid.description, lid: lid?.description, phone: jid.user, pushName: pushName)
    }
}

/// IQ ids (`<prefix><counter>`, whatsmeow's shape `"<b0>.<b1>-<n>"`, docs/protocol/lower.md §6.1) and what each outstanding one is for.
public struct IQTracker: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case keepAlive, preKeyCount, companionHello, other
    }

    public let prefix: String
    private var counter = 0
    private var pending: [String: Purpose] = [:]

    public init(prefix: String) { self.prefix = prefix }

    /// A new id, tracked until its response or timeout.
    public mutating func next(_ purpose: Purpose = .other) -> String {
        counter += 1
        let id = prefix + String(counter)
        pending[id] = purpose
        return id
    }

    /// The purpose of an outstanding id, removing it; nil for an unknown or settled id.
    public mutating func resolve(_ id: String) -> Purpose? { pending.removeValue(forKey: id) }

    public mutating func removeAll() { pending.removeAll() }

    public var outstanding: Int { pending.count }

    /// whatsmeow's prefix: two random bytes as decimals, `"<b0>.<b1>-"`.
    public static func randomPrefix(using random: inout some RandomNumberGenerator) -> String {
        "\(UInt8.random(in: .min ... .max, using: &random)).\(UInt8.random(in: .min ... .max, using: &random))-"
    }
}

extension JID {
    /// The Signal address name of this JID's user (docs/protocol/upper.md §1.10, §6.1): the user, with `_<domain type>`
    /// for a LID (1) or hosted (128, 129) server; nil for servers that are not users (groups, broadcast…).
    var signalAddressName: String? {
        switch server {
        case JID.userServer: user
        case JID.hiddenUserServer: user + "_1"
        case JID.hostedServer: user + "_128"
        case JID.hostedLIDServer: user + "_129"
        default: nil
        }
    }
}
