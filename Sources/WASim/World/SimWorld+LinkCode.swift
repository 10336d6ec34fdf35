import Foundation
import SignalProtocol
import WABinary

/// A companion's phone-number linking in progress (docs/protocol/lower.md §5.7).
struct CodePairing: Sendable {
    var number: String
    var ref: String
    var wrappedCompanionEphemeral: [UInt8]
    var platformID: String?
    var createdAt: Date
    /// Set once the phone entered the code: its ephemeral key and the companion's unwrapped one.
    var primaryEphemeral: Curve25519KeyPair?
    var companionEphemeral: [UInt8]?
    var primaryHellos = 0
}

extension SimWorld {
    /// How long a code is accepted after `companion_hello` (docs/protocol/lower.md §5.7 "Lifetime rules": 180 s).
    static let codeLifetime: TimeInterval = 180

    /// What the session does after answering a `link_code_companion_reg` IQ.
    enum LinkCodeFollowUp: Equatable {
        case none
        /// companion_finish checked out: send pair-success with this ADV secret.
        case pairSuccess(number: String, advSecret: [UInt8], platform: String?)
    }

    /// `link_code_companion_reg` IQs of a waiting companion: `companion_hello` (store, answer with the ref)
    /// and `companion_finish` (open the key bundle, derive the ADV secret).
    func answerLinkCode(_ id: Int, _ iq: BinaryNode, now: Date = Date()) -> (BinaryNode, LinkCodeFollowUp) {
        guard var pending = registrations[id], pending.pairSuccess == nil, let reg = iq.child("link_code_companion_reg")
        else { return (ServerNodes.error(to: iq, code: 400, text: "bad-request"), .none) }
        switch reg.string("stage") {
        case "companion_hello":
            guard let jid = reg.jid("jid"), phones[jid.user] != nil,
                let wrapped = reg.child("link_code_pairing_wrapped_companion_ephemeral_pub")?.contentBytes,
                wrapped.count == LinkCodeCrypto.wrappedKeyLength,
                reg.child("companion_server_auth_key_pub")?.contentBytes == pending.noiseKey,
                let display = reg.child("companion_platform_display")?.contentBytes,
                Self.isBrowserAndOS(String(decoding: display, as: UTF8.self))
            else { return (ServerNodes.error(to: iq, code: 400, text: "bad-request"), .none) }
            let platform = reg.child("companion_platform_id")?.contentBytes.map { String(decoding: $0, as: UTF8.self) }
            let ref = "2@LC\(id)/\(Data((0..<12).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())"
            pending.code = CodePairing(
                number: jid.user, ref: ref, wrappedCompanionEphemeral: wrapped, platformID: platform, createdAt: now)
            registrations[id] = pending
            record(id, event: "companion_hello for \(jid.user)")
            return (
                ServerNodes.result(
                    to: iq,
                    children: [
                        BinaryNode(
                            tag: "link_code_companion_reg",
                            children: [BinaryNode(tag: "link_code_pairing_ref", bytes: Array(ref.utf8))])
                    ]), .none
            )
        case "companion_finish":
            guard let code = pending.code, let primary = code.primaryEphemeral, let companionEphemeral = code.companionEphemeral,
                reg.child("link_code_pairing_ref")?.contentBytes == Array(code.ref.utf8),
                let bundle = reg.child("link_code_pairing_wrapped_key_bundle")?.contentBytes,
                let companionIdentity = reg.child("companion_identity_public")?.contentBytes,
                companionIdentity == pending.registration.identityKey, let phone = phones[code.number]
            else { return (ServerNodes.error(to: iq, code: 400, text: "bad-request"), .none) }
            let reply = ServerNodes.result(to: iq)
            do {
                let theirs = try Curve25519PublicKey(rawRepresentation: companionEphemeral)
                let ephemeralShared = try primary.privateKey.sharedSecret(with: theirs)
                let opened = try LinkCodeCrypto.openKeyBundle(bundle, ephemeralShared: ephemeralShared)
                guard opened.companionIdentity == companionIdentity,
                    opened.primaryIdentity == phone.identity.publicKey.rawRepresentation
                else {
                    record(id, event: "companion_finish: key bundle names other keys; the phone gives up")
                    return (reply, .none)
                }
                let identityShared = try phone.identity.privateKey.sharedSecret(
                    with: Curve25519PublicKey(rawRepresentation: companionIdentity))
                let secret = LinkCodeCrypto.advSecret(
                    ephemeralShared: ephemeralShared, identityShared: identityShared,
                    advSecretRandom: opened.advSecretRandom)
                record(id, event: "companion_finish: key bundle opened")
                return (reply, .pairSuccess(number: code.number, advSecret: secret, platform: code.platformID))
            } catch {
                // docs/protocol/lower.md §5.7 "Silence after companion_finish": the phone tells only its own user.
                record(id, event: "companion_finish: key bundle does not open (wrong code?); the phone gives up")
                return (reply, .none)
            }
        default:
            return (ServerNodes.error(to: iq, code: 400, text: "bad-request"), .none)
        }
    }

    /// `Browser (OS)`, e.g. `Chrome (Linux)` (docs/protocol/lower.md §5.7: anything else gets 400 bad-request).
    static func isBrowserAndOS(_ text: String) -> Bool {
        guard text.hasSuffix(")"), let open = text.firstIndex(of: "("), open > text.startIndex else { return false }
        let browser = text[..<open].trimmingCharacters(in: .whitespaces)
        let os = text[text.index(after: open)..<text.index(before: text.endIndex)]
        return !browser.isEmpty && !os.isEmpty && text[text.index(before: open)] == " "
    }

    /// The phone's user types the 8-character code: the phone unwraps the companion's ephemeral key, wraps
    /// its own and the server sends `primary_hello` to the companion (docs/protocol/lower.md §5.7 step 2).
    public func enterCode(phone number: String, code rawCode: String, now: Date = Date()) async throws(PhoneError) {
        guard let phone = phones[number] else { throw .noSuchPhone(number) }
        guard let code = LinkCodeCrypto.normalize(rawCode) else { throw .wrongCode }
        guard
            let (id, pending) = registrations.filter({
                $0.value.code?.number == number && now.timeIntervalSince($0.value.code?.createdAt ?? .distantPast) < Self.codeLifetime
            }).max(by: { $0.key < $1.key }),
            var pairing = pending.code, let session = sessions[id]
        else { throw .noCodePairing }
        guard pairing.primaryHellos < 3 else { throw .noCodePairing }
        var random = SystemRandomNumberGenerator()
        let ephemeral = Curve25519KeyPair(using: &random)
        let wrapped: [UInt8]
        do {
            pairing.companionEphemeral = try LinkCodeCrypto.unwrap(pairing.wrappedCompanionEphemeral, code: code)
            wrapped = try LinkCodeCrypto.wrap(
                ephemeral.publicKey.rawRepresentation, code: code,
                salt: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) },
                iv: (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) })
        } catch { throw .wrongCode }
        pairing.primaryEphemeral = ephemeral
        pairing.primaryHellos += 1
        var updated = pending
        updated.code = pairing
        registrations[id] = updated
        let node = BinaryNode(
            tag: "notification",
            attributes: [
                "from": ServerNodes.server, "type": "link_code_companion_reg", "id": .string(makeServerIQID("lc")),
                "t": .string(String(Int(now.timeIntervalSince1970))),
            ],
            children: [
                BinaryNode(
                    tag: "link_code_companion_reg", attributes: ["stage": "primary_hello"],
                    children: [
                        BinaryNode(tag: "link_code_pairing_ref", bytes: Array(pairing.ref.utf8)),
                        BinaryNode(tag: "primary_identity_pub", bytes: phone.identity.publicKey.rawRepresentation),
                        BinaryNode(tag: "link_code_pairing_wrapped_primary_ephemeral_pub", bytes: wrapped),
                    ])
            ])
        await session.push(node, note: "sent primary_hello")
    }
}
