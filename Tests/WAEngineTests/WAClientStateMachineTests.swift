import Foundation
import SignalProtocol
import Testing
import WABinary
import WAProto
@testable import WAEngine

/// Drives a ``WAClientStateMachine`` with scripted server nodes, a manual clock and a seeded random source.
struct MachineHarness {
    var machine: WAClientStateMachine
    var now = Date(timeIntervalSince1970: 1_790_000_000)
    var random = SeededRandom(seed: 1)
    let keys: DeviceKeys
    static let account = LinkedAccount(
        jid: JID(user: "15551234567", device: 3, server: JID.userServer),
        lid: JID(user: "123456789", device: 3, server: JID.hiddenUserServer), pushName: nil, platform: "android")

    init(configuration: WAClientStateMachine.Configuration = .init()) {
        machine = WAClientStateMachine(configuration: configuration, idPrefix: "1.2-")
        var random = SeededRandom(seed: 99)
        keys = DeviceKeys.generate(now: 1_790_000_000, using: &random)
    }

    mutating func feed(_ input: WAClientStateMachine.Input) -> [WAClientStateMachine.Action] {
        machine.handle(input, now: now, random: &random)
    }

    mutating func node(_ node: BinaryNode) -> [WAClientStateMachine.Action] {
        feed(.connection(attempt: machine.attempt, .node(node)))
    }

    mutating func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }

    /// A machine in `linking` by QR with the pair-device refs delivered.
    static func linkingByQR(refs: [String] = (1...6).map { "2@ref\($0)" }) -> MachineHarness {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: nil, account: nil))
        _ = harness.feed(.link(.qr, keys: harness.keys))
        _ = harness.feed(.connection(attempt: harness.machine.attempt, .handshakeCompleted))
        _ = harness.node(ServerNode.pairDevice(id: "pd-1", refs: refs))
        return harness
    }

    /// A machine logged in (after `<success>`).
    static func connected(configuration: WAClientStateMachine.Configuration = .init()) -> MachineHarness {
        var harness = MachineHarness(configuration: configuration)
        _ = harness.feed(.start(keys: harness.keys, account: account))
        _ = harness.node(ServerNode.success())
        return harness
    }
}

enum ServerNode {
    static func pairDevice(id: String, refs: [String]) -> BinaryNode {
        BinaryNode(
            tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "set", "id": .string(id), "xmlns": "md"],
            children: [BinaryNode(tag: "pair-device", children: refs.map { BinaryNode(tag: "ref", bytes: Array($0.utf8)) })])
    }

    static func pairSuccess(id: String, deviceIdentity: [UInt8]) -> BinaryNode {
        BinaryNode(
            tag: "iq",
            attributes: ["from": .jid(JID.serverJID), "type": "set", "id": .string(id), "xmlns": "md", "t": "1790000000"],
            children: [
                BinaryNode(
                    tag: "pair-success",
                    children: [
                        BinaryNode(tag: "device-identity", bytes: deviceIdentity),
                        BinaryNode(
                            tag: "device",
                            attributes: [
                                "jid": .jid(MachineHarness.account.jid), "lid": .jid(MachineHarness.account.lid!),
                            ]),
                        BinaryNode(tag: "platform", attributes: ["name": "android"]),
                    ])
            ])
    }

    static func success(lid: String = "123456789:3@lid") -> BinaryNode {
        BinaryNode(tag: "success", attributes: ["t": "1790000000", "lid": .string(lid)])
    }

    static func streamError(code: Int?, conflict: String? = nil) -> BinaryNode {
        var attributes: BinaryNode.Attributes = [:]
        if let code { attributes["code"] = .string(String(code)) }
        return BinaryNode(
            tag: "stream:error", attributes: attributes,
            children: conflict.map { [BinaryNode(tag: "conflict", attributes: ["type": .string($0)])] } ?? [])
    }

    static func notification(type: String, id: String = "n-1", children: [BinaryNode] = []) -> BinaryNode {
        BinaryNode(
            tag: "notification", attributes: ["from": .jid(JID.serverJID), "type": .string(type), "id": .string(id)],
            children: children)
    }
}

extension Array where Element == WAClientStateMachine.Action {
    var statuses: [WAClientStatus] { compactMap { if case .status(let status) = $0 { status } else { nil } } }
    var sent: [BinaryNode] { compactMap { if case .send(let node) = $0 { node } else { nil } } }
    var qrCodes: [(code: String, expiresAt: Date, index: Int)] {
        compactMap { if case .showQR(let code, let expiresAt, let index) = $0 { (code, expiresAt, index) } else { nil } }
    }
    var connects: [(attempt: Int, login: LinkedAccount?)] {
        compactMap { if case .connect(let attempt, _, let login) = $0 { (attempt, login) } else { nil } }
    }
    var scheduled: [WAClientTimer: TimeInterval] {
        var result: [WAClientTimer: TimeInterval] = [:]
        for case .schedule(let timer, let delay) in self { result[timer] = delay }
        return result
    }
}

@Suite struct WAClientStateMachineTests {
    // MARK: QR linking

    @Test func startWithoutAnAccountIsUnlinked() {
        var harness = MachineHarness()
        #expect(harness.feed(.start(keys: nil, account: nil)).statuses == [WAClientStatus(state: .unlinked)])
    }

    @Test func linkByQROpensARegistrationAttempt() {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: nil, account: nil))
        let actions = harness.feed(.link(.qr, keys: harness.keys))
        #expect(actions.statuses == [WAClientStatus(state: .linking, method: .qr)])
        #expect(actions.connects.count == 1)
        #expect(actions.connects.first?.login == nil)
    }

    @Test func pairDeviceIsAckedAtOnceThenTheFirstRefShowsFor60Seconds() throws {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: nil, account: nil))
        _ = harness.feed(.link(.qr, keys: harness.keys))
        let actions = harness.node(ServerNode.pairDevice(id: "pd-1", refs: ["2@a", "2@b"]))
        guard case .send(let ack) = actions.first else {
            Issue.record("the first action must be the ack, got \(actions)")
            return
        }
        #expect(ack == BinaryNode(tag: "iq", attributes: ["to": .jid(JID.serverJID), "id": "pd-1", "type": "result"]))
        let qr = try #require(actions.qrCodes.first)
        #expect(qr.index == 1)
        #expect(qr.expiresAt == harness.now.addingTimeInterval(60))
        #expect(
            qr.code
                == WAQRString.make(
                    ref: "2@a", noisePublicKey: harness.keys.noiseKey.publicKey,
                    identityPublicKey: harness.keys.identity.publicKey.rawRepresentation, advSecret: harness.keys.advSecret))
        #expect(actions.scheduled[.qrRotation] == 60)
    }

    @Test func refsRotateEvery20SecondsAndAfterTheLastTheLinkEndsWithQrExpired() {
        var harness = MachineHarness.linkingByQR()
        var indices: [Int] = []
        for _ in 2...6 {
            harness.advance(indices.isEmpty ? 60 : 20)
            let actions = harness.feed(.timer(.qrRotation))
            let qr = actions.qrCodes.first
            indices.append(qr?.index ?? 0)
            #expect(qr?.expiresAt == harness.now.addingTimeInterval(20))
            #expect(actions.scheduled[.qrRotation] == 20)
        }
        #expect(indices == [2, 3, 4, 5, 6])
        harness.advance(20)
        let end = harness.feed(.timer(.qrRotation))
        #expect(end.statuses == [WAClientStatus(state: .unlinked, reason: .qrExpired)])
        #expect(end.contains(.disconnect))
        #expect(end.qrCodes.isEmpty)
        // Never an endless loop: nothing more happens.
        #expect(harness.feed(.timer(.qrRotation)).isEmpty)
        #expect(harness.feed(.timer(.reconnect)).isEmpty)
    }

    @Test func companionRegRefreshRotatesTheADVSecretAndRedrawsTheCurrentRef() throws {
        var harness = MachineHarness.linkingByQR()
        let before = harness.machine.keys!.advSecret
        for child in ["companion_reg_refresh", "pair-device-rotate-qr"] {
            let actions = harness.node(ServerNode.notification(type: "companion_reg_refresh", children: [BinaryNode(tag: child)]))
            #expect(actions.sent.first?.tag == "ack")
            #expect(actions.sent.first?.string("class") == "notification")
            let qr = try #require(actions.qrCodes.first)
            #expect(qr.index == 1)
            #expect(qr.expiresAt == Date(timeIntervalSince1970: 1_790_000_060))
            let secret = try #require(harness.machine.keys?.advSecret)
            #expect(secret != before)
            #expect(qr.code.hasSuffix("," + Data(secret).base64EncodedString() + ",9"))
        }
        // pair-success must be HMAC'ed with the new secret; the old one fails.
        let primary = FakePrimary()
        let identity = harness.keys.identity.publicKey.rawRepresentation
        var stale = harness
        let old = stale.node(
            ServerNode.pairSuccess(id: "ps", deviceIdentity: try primary.deviceIdentity(companionIdentity: identity, advSecret: before)))
        #expect(old.statuses.last == WAClientStatus(state: .unlinked, reason: .pairingFailed))
        let good = harness.node(
            ServerNode.pairSuccess(
                id: "ps", deviceIdentity: try primary.deviceIdentity(companionIdentity: identity, advSecret: harness.machine.keys!.advSecret)))
        #expect(good.sent.first?.child("pair-device-sign") != nil)
    }

    @Test func pairSuccessIsStoredBeforeTheReplyThen515LogsInWithTheNewIdentity() throws {
        var harness = MachineHarness.linkingByQR()
        let primary = FakePrimary()
        let blob = try primary.deviceIdentity(
            companionIdentity: harness.keys.identity.publicKey.rawRepresentation, advSecret: harness.keys.advSecret)
        let actions = harness.node(ServerNode.pairSuccess(id: "ps-1", deviceIdentity: blob))
        let saveIndex = try #require(actions.firstIndex { if case .saveLink = $0 { true } else { false } })
        let replyIndex = try #require(actions.firstIndex { if case .send = $0 { true } else { false } })
        #expect(saveIndex < replyIndex)
        #expect(actions.contains(.cancel(.qrRotation)))
        if case .saveLink(let keys, _, let account, let primaryIdentity) = actions[saveIndex] {
            #expect(keys == harness.keys)
            #expect(account.jid == MachineHarness.account.jid)
            #expect(account.lid == MachineHarness.account.lid)
            #expect(primaryIdentity == primary.account.publicKey.rawRepresentation)
        }
        #expect(actions.sent.first?.string("id") == "ps-1")

        // docs/protocol/lower.md §5.6: the server asks for a restart; the client logs in at once on a new attempt.
        let pairedAttempt = harness.machine.attempt
        let restart = harness.node(ServerNode.streamError(code: 515))
        #expect(restart.contains(.disconnect))
        #expect(restart.statuses.map(\.state) == [.disconnected, .connecting])
        #expect(restart.statuses.first?.reason == .restart)
        #expect(restart.connects.count == 1)
        #expect(restart.connects.first?.login?.jid == MachineHarness.account.jid)
        // A late 401 from the socket the 515 closed is not a logout.
        #expect(harness.feed(.connection(attempt: pairedAttempt, .node(ServerNode.streamError(code: 401)))).isEmpty)
        #expect(harness.feed(.connection(attempt: pairedAttempt, .disconnected(.closedByServer(code: nil)))).isEmpty)
        let login = harness.node(ServerNode.success())
        #expect(login.statuses.last?.state == .connected)
        #expect(harness.machine.status.account?.jid == "15551234567:3@s.whatsapp.net")
    }

    @Test func theFirstSuccessAfterPairingConfirmsTheStoredLinkOnce() throws {
        var harness = MachineHarness.linkingByQR()
        let blob = try FakePrimary().deviceIdentity(
            companionIdentity: harness.keys.identity.publicKey.rawRepresentation, advSecret: harness.keys.advSecret)
        let paired = harness.node(ServerNode.pairSuccess(id: "ps-1", deviceIdentity: blob))
        let saved = paired.compactMap { if case .saveLink(_, _, let account, _) = $0 { account } else { nil } }
        #expect(saved.map(\.confirmed) == [false])
        _ = harness.node(ServerNode.streamError(code: 515))
        let login = harness.node(ServerNode.success())
        #expect(login.contains(.confirmLink(lid: "123456789:3@lid")))
        #expect(harness.machine.account?.confirmed == true)
        // A later login of the confirmed link writes nothing.
        _ = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        _ = harness.feed(.timer(.reconnect))
        let again = harness.node(ServerNode.success())
        #expect(!again.contains { if case .confirmLink = $0 { true } else { false } })
    }

    /// The kill-during-link case (suite 55): the link was stored at pair-success, but the process stopped before the
    /// `pair-device-sign` reached the server, which so never linked the device. The relaunch logs in with the stored
    /// link and gets 401: that is an incomplete link, not a logout by the phone.
    @Test(arguments: [
        BinaryNode(tag: "failure", attributes: ["reason": "401"]),
        ServerNode.streamError(code: 401, conflict: "device_removed"),
    ])
    func aLinkRefusedBeforeItsFirstSuccessIsIncompleteAndStartsOver(refusal: BinaryNode) {
        var harness = MachineHarness()
        var stored = MachineHarness.account
        stored.confirmed = false
        let start = harness.feed(.start(keys: harness.keys, account: stored))
        #expect(start.connects.first?.login == stored)
        let actions = harness.node(refusal)
        #expect(actions.statuses == [WAClientStatus(state: .unlinked, reason: .linkIncomplete)])
        #expect(actions.contains(.wipe))
        #expect(actions.contains(.disconnect))
        #expect(actions.scheduled[.reconnect] == nil)
        #expect(!harness.machine.isLinked)
        // Linking again works at once.
        let relink = harness.feed(.link(.qr, keys: harness.keys))
        #expect(relink.statuses.map(\.state) == [.linking])
        #expect(relink.connects.first?.login == nil)
    }

    /// The same in one process: pair-success handled, the reply lost with the socket (no 515), the reconnect's login
    /// refused.
    @Test func pairedLinkWhoseReplyWasLostEndsIncompleteAtTheNextLogin() throws {
        var harness = MachineHarness.linkingByQR()
        let blob = try FakePrimary().deviceIdentity(
            companionIdentity: harness.keys.identity.publicKey.rawRepresentation, advSecret: harness.keys.advSecret)
        _ = harness.node(ServerNode.pairSuccess(id: "ps-1", deviceIdentity: blob))
        let lost = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        #expect(lost.scheduled[.reconnect] != nil)
        let retry = harness.feed(.timer(.reconnect))
        #expect(retry.connects.first?.login?.confirmed == false)
        let refused = harness.node(BinaryNode(tag: "failure", attributes: ["reason": "401"]))
        #expect(refused.statuses.last == WAClientStatus(state: .unlinked, reason: .linkIncomplete))
        #expect(refused.contains(.wipe))
    }

    @Test func badPairSuccessAnswersWithAnErrorAndEndsPairingFailed() throws {
        var harness = MachineHarness.linkingByQR()
        let blob = try FakePrimary().deviceIdentity(
            companionIdentity: harness.keys.identity.publicKey.rawRepresentation, advSecret: harness.keys.advSecret,
            tamperSignature: true)
        let actions = harness.node(ServerNode.pairSuccess(id: "ps-1", deviceIdentity: blob))
        #expect(actions.sent.first?.string("type") == "error")
        #expect(actions.sent.first?.child("error")?.string("text") == "signature-mismatch")
        #expect(!actions.contains { if case .saveLink = $0 { true } else { false } })
        #expect(actions.statuses == [WAClientStatus(state: .unlinked, reason: .pairingFailed)])
        #expect(!harness.machine.isLinked)
    }

    @Test func passkeyPrologueRequestEndsLinkingWithPasskeyRequired() {
        var harness = MachineHarness.linkingByQR()
        let actions = harness.node(ServerNode.notification(type: "passkey_prologue_request"))
        #expect(actions.sent.first?.tag == "ack")
        #expect(actions.statuses == [WAClientStatus(state: .unlinked, reason: .passkeyRequired)])
        #expect(actions.contains(.disconnect))
    }

    @Test func cancelLinkClosesAndReportsCancelled() {
        var harness = MachineHarness.linkingByQR()
        let actions = harness.feed(.cancelLink)
        #expect(actions.contains(.disconnect))
        #expect(actions.statuses == [WAClientStatus(state: .unlinked, reason: .cancelled)])
    }

    @Test func linkWhileLinkingRestartsWithTheNewMethod() {
        var harness = MachineHarness.linkingByQR()
        let old = harness.machine.attempt
        let actions = harness.feed(.link(.phoneNumber("15551234567"), keys: harness.keys))
        #expect(actions.contains(.disconnect))
        #expect(actions.statuses == [WAClientStatus(state: .linking, method: .phone)])
        #expect(actions.connects.first.map { $0.attempt > old } == true)
    }

    @Test func linkIsRefusedWhileLinked() {
        var harness = MachineHarness.connected()
        #expect(harness.machine.isLinked)
        #expect(harness.feed(.link(.qr, keys: harness.keys)).isEmpty)
    }

    @Test func linkDroppedBeforePairSuccessRetriesRegistrationThenGivesUp() {
        var harness = MachineHarness.linkingByQR()
        for round in 1...2 {
            let drop = harness.feed(.connection(attempt: harness.machine.attempt, .node(ServerNode.streamError(code: 503))))
            #expect(drop.contains(.disconnect))
            #expect(drop.contains(.cancel(.qrRotation)))
            // A QR timer that fires anyway (already queued) does not end the link.
            #expect(harness.feed(.timer(.qrRotation)).isEmpty)
            let delay = drop.scheduled[.reconnect]
            #expect(delay != nil, "round \(round)")
            harness.advance(delay ?? 0)
            let again = harness.feed(.timer(.reconnect))
            #expect(again.connects.first?.login == nil)
            #expect(harness.machine.status.state == .linking)
        }
        let last = harness.feed(.connectFailed(attempt: harness.machine.attempt))
        #expect(last.statuses == [WAClientStatus(state: .unlinked)])
        // A QR timer left over from the old attempt does nothing.
        #expect(harness.feed(.timer(.qrRotation)).isEmpty)
    }

    @Test func serverPingIsAnswered() {
        var harness = MachineHarness.connected()
        let actions = harness.node(
            BinaryNode(
                tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "get", "id": "p-1", "xmlns": "urn:xmpp:ping"]))
        #expect(actions.sent == [BinaryNode(tag: "iq", attributes: ["to": .jid(JID.serverJID), "id": "p-1", "type": "result"])])
    }

    // MARK: Login and post-login (docs/protocol/lower.md §6.1)

    @Test func successSendsPreKeyCountPassiveActiveAndPresenceUnavailable() {
        var harness = MachineHarness()
        let start = harness.feed(.start(keys: harness.keys, account: MachineHarness.account))
        #expect(start.statuses.map(\.state) == [.connecting])
        #expect(start.connects.first?.login == MachineHarness.account)
        let actions = harness.node(ServerNode.success())
        #expect(actions.statuses.map(\.state) == [.connected])
        let sent = actions.sent
        #expect(sent.count == 3)
        #expect(sent[0].string("xmlns") == "encrypt" && sent[0].string("type") == "get" && sent[0].child("count") != nil)
        #expect(sent[1].string("xmlns") == "passive" && sent[1].child("active") != nil)
        #expect(sent[2] == BinaryNode(tag: "presence", attributes: ["type": "unavailable"]))
        #expect(sent.allSatisfy { $0.tag != "iq" || $0.string("id")?.hasPrefix("1.2-") == true })
        let keepAlive = actions.scheduled[.keepAlive] ?? 0
        #expect(keepAlive >= 20 && keepAlive <= 30)
    }

    @Test(arguments: [(0, 812), (3, 50)])
    func lowServerPreKeyCountUploads(count: Int, expected: Int) throws {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: harness.keys, account: MachineHarness.account))
        let countID = try #require(harness.node(ServerNode.success()).sent.first?.string("id"))
        let actions = harness.node(
            BinaryNode(
                tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "result", "id": .string(countID)],
                children: [BinaryNode(tag: "count", attributes: ["value": .string(String(count))])]))
        #expect(actions.contains { if case .uploadPreKeys(_, let n) = $0 { n == expected } else { false } })
    }

    @Test func encryptNotificationWithALowCountUploads50() {
        var harness = MachineHarness.connected()
        let actions = harness.node(
            ServerNode.notification(type: "encrypt", children: [BinaryNode(tag: "count", attributes: ["value": "2"])]))
        #expect(actions.sent.first?.tag == "ack")
        #expect(actions.contains { if case .uploadPreKeys(_, 50) = $0 { true } else { false } })
    }

    // MARK: Keep-alive (docs/protocol/lower.md §6.2)

    /// docs/protocol/upper.md §1.11: a contact's identity changed. Acked like any notification (§6.5, with its type),
    /// their identities and sessions forgotten, the user told.
    @Test(arguments: [
        ("5511912345678@s.whatsapp.net", "5511912345678", "5511912345678@s.whatsapp.net"),
        ("98765432101234:7@lid", "98765432101234_1", "98765432101234@lid"),
    ])
    func identityChangeNotificationIsAckedForgetsTheContactAndIsReported(from: String, name: String, jid: String) throws {
        var harness = MachineHarness.connected()
        let node = BinaryNode(
            tag: "notification",
            attributes: ["from": .jid(try JID(parsing: from)), "type": "encrypt", "id": "idc-1", "t": "1790000000"],
            children: [BinaryNode(tag: "identity")])
        let actions = harness.node(node)
        #expect(
            actions.sent == [
                BinaryNode(
                    tag: "ack",
                    attributes: ["class": "notification", "id": "idc-1", "to": .jid(try JID(parsing: from)), "type": "encrypt"])
            ])
        #expect(actions.contains(.forgetIdentity(addressName: name, jid: jid)))
        #expect(actions.statuses.isEmpty)
    }

    @Test func identityNotificationsAboutOurOwnAccountOrWithoutIdentityOnlyAck() throws {
        var harness = MachineHarness.connected()
        for (from, children) in [
            ("15551234567@s.whatsapp.net", [BinaryNode(tag: "identity")]),
            ("123456789@lid", [BinaryNode(tag: "identity")]),
            ("5511912345678@s.whatsapp.net", [BinaryNode(tag: "something-else")]),
        ] {
            let actions = harness.node(
                BinaryNode(
                    tag: "notification", attributes: ["from": .jid(try JID(parsing: from)), "type": "encrypt", "id": "n"],
                    children: children))
            #expect(actions.sent.map(\.tag) == ["ack"])
            #expect(!actions.contains { if case .forgetIdentity = $0 { true } else { false } })
        }
    }

    /// docs/protocol/upper.md §5.1: a message of our own account names its push name in `notify`; it is stored and
    /// reported with the account. Other senders' names, our own device's, and unusable names are not.
    @Test func pushNameComesFromTheNotifyOfAMessageOfOurOwnAccount() throws {
        var harness = MachineHarness.connected()
        func message(from: String, notify: String) throws -> BinaryNode {
            BinaryNode(
                tag: "message",
                attributes: [
                    "from": .jid(try JID(parsing: from)), "type": "text", "category": "peer", "id": "3A01",
                    "notify": .string(notify),
                ],
                children: [BinaryNode(tag: "enc", attributes: ["v": "2", "type": "pkmsg"], bytes: [1, 2, 3])])
        }
        for (from, notify) in [
            ("5511912345678@s.whatsapp.net", "Bruno"), ("15551234567:3@s.whatsapp.net", "Me"),
            ("15551234567@s.whatsapp.net", ""), ("15551234567@s.whatsapp.net", String(repeating: "a", count: 300)),
            ("15551234567@s.whatsapp.net", "Ana\u{7}"),
        ] {
            #expect(harness.node(try message(from: from, notify: notify)).isEmpty, "\(from) \(notify.prefix(8))")
        }
        let named = harness.node(try message(from: "15551234567@s.whatsapp.net", notify: "Ana"))
        #expect(named.contains(.savePushName("Ana")))
        #expect(named.statuses.last?.state == .connected)
        #expect(named.statuses.last?.account?.pushName == "Ana")
        #expect(harness.node(try message(from: "123456789@lid", notify: "Ana")).isEmpty, "unchanged: nothing to do")
        let renamed = harness.node(try message(from: "123456789@lid", notify: "Ana M."))
        #expect(renamed.contains(.savePushName("Ana M.")))
    }

    @Test func keepAliveAnsweredSchedulesTheNextOne() throws {
        var harness = MachineHarness.connected()
        let ping = harness.feed(.timer(.keepAlive))
        let node = try #require(ping.sent.first)
        #expect(node.string("xmlns") == "w:p" && node.string("type") == "get" && node.children.isEmpty)
        #expect(ping.scheduled[.keepAliveDeadline] == 10)
        let answer = harness.node(
            BinaryNode(tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "result", "id": .string(node.string("id")!)]))
        #expect(answer.contains(.cancel(.keepAliveDeadline)))
        #expect(answer.scheduled[.keepAlive] != nil)
    }

    @Test func missedKeepAliveDeadlineReconnects() {
        var harness = MachineHarness.connected()
        _ = harness.feed(.timer(.keepAlive))
        harness.advance(10)
        let actions = harness.feed(.timer(.keepAliveDeadline))
        #expect(actions.contains(.disconnect))
        #expect(actions.statuses.first?.state == .disconnected)
        #expect(actions.statuses.first?.reason == .keepAliveTimeout)
        let delay = try? #require(actions.scheduled[.reconnect])
        #expect(actions.statuses.first?.retryAt == harness.now.addingTimeInterval(delay ?? -1))
        harness.advance(delay ?? 0)
        #expect(harness.feed(.timer(.reconnect)).connects.count == 1)
    }

    // MARK: Reconnect (docs/protocol/lower.md §6.6)

    @Test func reconnectBackoffDoublesAndIsCapped() {
        var configuration = WAClientStateMachine.Configuration()
        configuration.reconnectJitter = 1...1
        var harness = MachineHarness.connected(configuration: configuration)
        _ = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        var delays: [TimeInterval] = []
        var lastDelay: TimeInterval = 1
        for _ in 0..<8 {
            harness.advance(lastDelay)
            let connect = harness.feed(.timer(.reconnect))
            #expect(connect.statuses.map(\.state) == [.connecting])
            let attempt = connect.connects.first?.attempt ?? -1
            let failed = harness.feed(.connectFailed(attempt: attempt))
            lastDelay = failed.scheduled[.reconnect] ?? -1
            delays.append(lastDelay)
            #expect(failed.statuses.first?.reason == .network)
        }
        #expect(delays == [2, 4, 8, 16, 32, 60, 60, 60])
        // <success> resets the count.
        let attempt = harness.feed(.timer(.reconnect)).connects.first?.attempt ?? -1
        _ = harness.feed(.connection(attempt: attempt, .node(ServerNode.success())))
        let drop = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        #expect(drop.scheduled[.reconnect] == 0)  // established again, and the last immediate retry is minutes old
        let retry = harness.feed(.timer(.reconnect)).connects.first?.attempt ?? -1
        let failed = harness.feed(.connectFailed(attempt: retry))
        #expect(failed.scheduled[.reconnect] == 2)
    }

    @Test func firstReconnectAfterAnEstablishedLinkDropsIsImmediate() {
        var harness = MachineHarness.connected()
        let drop = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        #expect(drop.scheduled[.reconnect] == 0)
        #expect(drop.statuses.first?.state == .disconnected)
        #expect(drop.statuses.first?.retryAt == harness.now)
        #expect(harness.feed(.timer(.reconnect)).connects.count == 1)
    }

    @Test func linkDroppingAgainWithinTheImmediateIntervalBacksOff() {
        var configuration = WAClientStateMachine.Configuration()
        configuration.reconnectJitter = 1...1
        var harness = MachineHarness.connected(configuration: configuration)
        _ = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        let attempt = harness.feed(.timer(.reconnect)).connects.first?.attempt ?? -1
        _ = harness.feed(.connection(attempt: attempt, .node(ServerNode.success())))
        harness.advance(30)
        let drop = harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil))))
        #expect(drop.scheduled[.reconnect] == 1)
    }

    @Test func reconnectJitterStaysWithinItsRangeAndTheCap() {
        var harness = MachineHarness.connected()
        for failures in 1...12 {
            let delay = harness.machine.backoff(failures, random: &harness.random)
            let base = min(60, pow(2, Double(failures - 1)))
            #expect(delay >= base * 0.8 - 1e-9 && delay <= min(60, base * 1.2) + 1e-9)
        }
    }

    // MARK: Failures and stream errors (docs/protocol/lower.md §6.3, docs/protocol/lower.md §6.4)

    @Test(arguments: [
        (ServerNode.streamError(code: 401, conflict: "device_removed"), WAClientStatus(state: .loggedOut, reason: .loggedOutByPhone)),
        (ServerNode.streamError(code: 516), WAClientStatus(state: .loggedOut, reason: .loggedOutByPhone)),
        (ServerNode.streamError(code: nil, conflict: "replaced"), WAClientStatus(state: .stopped, reason: .replaced, code: 440)),
        (BinaryNode(tag: "failure", attributes: ["reason": "401"]), WAClientStatus(state: .loggedOut, reason: .loggedOutByPhone)),
        (BinaryNode(tag: "failure", attributes: ["reason": "405"]), WAClientStatus(state: .stopped, reason: .clientOutdated, code: 405)),
        (BinaryNode(tag: "failure", attributes: ["reason": "403"]), WAClientStatus(state: .stopped, reason: .banned, code: 403)),
        (BinaryNode(tag: "failure", attributes: ["reason": "409"]), WAClientStatus(state: .stopped, code: 409)),
    ])
    func finalErrorsEndInTheirStateWithoutReconnecting(node: BinaryNode, expected: WAClientStatus) {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: harness.keys, account: MachineHarness.account))
        let actions = harness.node(node)
        var status = expected
        if expected.state != .loggedOut { status.account = MachineHarness.account.statusAccount }
        #expect(actions.statuses == [status])
        #expect(actions.contains(.disconnect))
        #expect(actions.scheduled[.reconnect] == nil)
        #expect(actions.contains(.wipe) == (expected.state == .loggedOut))
        #expect(harness.machine.isLinked == (expected.state != .loggedOut))
        // The connection then closes; nothing is retried.
        #expect(harness.feed(.connection(attempt: harness.machine.attempt, .disconnected(.closedByServer(code: nil)))).isEmpty)
    }

    @Test func resumeAfterReplacedConnectsAgainButNotAfterLogout() {
        var harness = MachineHarness.connected()
        _ = harness.node(ServerNode.streamError(code: nil, conflict: "replaced"))
        let resumed = harness.feed(.resume)
        #expect(resumed.statuses.map(\.state) == [.connecting])
        #expect(resumed.connects.first?.login == MachineHarness.account)
        #expect(harness.feed(.resume).isEmpty)
        _ = harness.node(ServerNode.streamError(code: 401, conflict: "device_removed"))
        #expect(harness.feed(.resume).isEmpty)
    }

    @Test func temporaryBanCarriesItsReasonCodeAndEnd() {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: harness.keys, account: MachineHarness.account))
        let actions = harness.node(BinaryNode(tag: "failure", attributes: ["reason": "402", "code": "101", "expire": "3600"]))
        let status = actions.statuses.first
        #expect(status?.state == .stopped)
        #expect(status?.reason == .banned)
        #expect(status?.code == 101)
        #expect(status?.until == harness.now.addingTimeInterval(3600))
    }

    @Test(arguments: [
        ServerNode.streamError(code: 503), BinaryNode(tag: "failure", attributes: ["reason": "503"]),
        BinaryNode(tag: "failure", attributes: ["reason": "500"]),
    ])
    func serviceUnavailableBacksOffAndRetries(node: BinaryNode) {
        var harness = MachineHarness()
        _ = harness.feed(.start(keys: harness.keys, account: MachineHarness.account))
        let actions = harness.node(node)
        #expect(actions.statuses.first?.state == .disconnected)
        #expect(actions.statuses.first?.reason == .serverUnavailable)
        #expect(actions.scheduled[.reconnect] != nil)
    }

    // MARK: Logout

    @Test func logoutTellsTheServerThenWipes() throws {
        var harness = MachineHarness.connected()
        let actions = harness.feed(.logout)
        let remove = try #require(actions.sent.first)
        #expect(remove.string("xmlns") == "md" && remove.string("type") == "set")
        #expect(remove.child("remove-companion-device")?.jid("jid") == MachineHarness.account.jid)
        #expect(remove.child("remove-companion-device")?.string("reason") == "user_initiated")
        let sendIndex = actions.firstIndex { if case .send = $0 { true } else { false } }!
        #expect(sendIndex < actions.firstIndex(of: .disconnect)!)
        #expect(actions.contains(.wipe))
        #expect(actions.statuses == [WAClientStatus(state: .loggedOut, reason: .loggedOutByUser)])
        #expect(!harness.machine.isLinked)
    }

    // MARK: Account lock

    @Test func lockHeldElsewhereIsStoppedInUseElsewhereAndRetries() {
        var harness = MachineHarness()
        let actions = harness.feed(.lockBusy)
        #expect(actions.statuses == [WAClientStatus(state: .stopped, reason: .inUseElsewhere)])
        #expect(actions.scheduled[.lockRetry] != nil)
        #expect(harness.feed(.timer(.lockRetry)).first == .retryLock)
    }
}
