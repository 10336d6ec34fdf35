import Crypto
import Foundation
import SignalProtocol
import Testing
import WABinary
import WAEngine
import WANoise
import WAProto
@testable import WASim

/// A companion that plays its part of linking by hand (docs/protocol/lower.md §5): registration payload,
/// QR text, the checks of `pair-success` and the `pair-device-sign` reply, then the login payload.
struct LinkingCompanion {
    let noiseKey = NoiseKeyPair.generate()
    let identity: IdentityKeyPair
    let signedPreKey: SignedPreKeyRecord
    let registrationID: UInt32
    var advSecret: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    init() {
        var random = SystemRandomNumberGenerator()
        identity = KeyHelper.generateIdentityKeyPair(using: &random)
        signedPreKey = KeyHelper.generateSignedPreKey(identityKeyPair: identity, id: 1, timestamp: 0, using: &random)
        registrationID = KeyHelper.generateRegistrationID(using: &random)
    }

    func registrationPayload(options: WAClientPayloadOptions = .init()) throws -> [UInt8] {
        try WAClientPayload.registration(
            options: options,
            registration: .init(
                registrationID: registrationID, identityKey: identity.publicKey.rawRepresentation, signedPreKeyID: 1,
                signedPreKey: signedPreKey.keyPair.publicKey.rawRepresentation,
                signedPreKeySignature: signedPreKey.signature)
        ).serializedBytes()
    }

    func loginPayload(_ jid: JID) throws -> [UInt8] {
        try WAClientPayload.login(username: UInt64(jid.user) ?? 0, device: UInt32(jid.device)).serializedBytes()
    }

    func qrText(ref: String, legacy: Bool = false) -> String {
        let fields = [ref] + [noiseKey.publicKey, identity.publicKey.rawRepresentation, advSecret].map {
            Data($0).base64EncodedString()
        }
        return legacy ? fields.joined(separator: ",") : PairingQRCode.prefix + (fields + ["9"]).joined(separator: ",")
    }

    func connection(_ sim: WASimulator, payload: [UInt8]) throws -> WAConnection {
        WAConnection(
            connector: WebSocketTransportConnector(url: try #require(sim.plainURL), extraTrustRootsFile: nil),
            staticKey: noiseKey, rootPublicKey: sim.identity.rootPublicKey, clientPayload: payload,
            handshakeTimeout: .seconds(10))
    }

    enum CheckFailure: Error { case shape, hmac, accountSignature }

    /// What a checked `pair-success` gave the companion.
    struct Paired {
        var reply: BinaryNode
        var jid: JID
        var lid: JID
        var platform: String?
        var accountSignatureKey: [UInt8]
        var keyIndex: UInt32
    }

    /// Checks `pair-success` as a companion must (docs/protocol/lower.md §5.6 steps 1–4) and builds the `pair-device-sign` reply
    /// (steps 5, 7); `corruptDeviceSignature` flips a bit of the device signature.
    func answer(pairSuccess iq: BinaryNode, corruptDeviceSignature: Bool = false) throws -> Paired {
        guard let success = iq.child("pair-success"), let wrappedBytes = success.child("device-identity")?.contentBytes,
            let device = success.child("device"), let jid = device.jid("jid"), let lid = device.jid("lid"),
            let id = iq.string("id")
        else { throw CheckFailure.shape }
        let wrapped = try WAAdv_ADVSignedDeviceIdentityHMAC(serializedBytes: wrappedBytes)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(wrapped.details), using: SymmetricKey(data: advSecret))
        guard Array(mac) == Array(wrapped.hmac) else { throw CheckFailure.hmac }
        var signed = try WAAdv_ADVSignedDeviceIdentity(serializedBytes: wrapped.details)
        let details = Array(signed.details)
        let accountKey = Array(signed.accountSignatureKey)
        guard
            XEdDSA.verify(
                signature: Array(signed.accountSignature),
                message: [6, 0] + details + identity.publicKey.rawRepresentation,
                publicKey: try Curve25519PublicKey(rawRepresentation: accountKey))
        else { throw CheckFailure.accountSignature }
        let deviceIdentity = try WAAdv_ADVDeviceIdentity(serializedBytes: details)
        var signature = XEdDSA.sign(
            message: [6, 1] + details + identity.publicKey.rawRepresentation + accountKey,
            privateKey: identity.privateKey)
        if corruptDeviceSignature { signature[5] ^= 0x01 }
        signed.deviceSignature = Data(signature)
        signed.clearAccountSignatureKey()
        let reply = BinaryNode(
            tag: "iq", attributes: ["to": .jid(JID.serverJID), "type": "result", "id": .string(id)],
            children: [
                BinaryNode(
                    tag: "pair-device-sign",
                    children: [
                        BinaryNode(
                            tag: "device-identity", attributes: ["key-index": .string(String(deviceIdentity.keyIndex))],
                            bytes: try signed.serializedBytes())
                    ])
            ])
        return Paired(
            reply: reply, jid: jid, lid: lid, platform: success.child("platform")?.string("name"),
            accountSignatureKey: accountKey, keyIndex: deviceIdentity.keyIndex)
    }
}

/// The first node event carrying a child named `tag` (or with tag `tag`), bounded.
func firstNode(_ connection: WAConnection, _ tag: String, timeout: Duration = .seconds(10)) async -> BinaryNode? {
    let event = await firstEvent(connection, timeout: timeout) {
        if case .node(let node) = $0 { node.tag == tag || node.child(tag) != nil } else { false }
    }
    if case .node(let node)? = event { return node }
    return nil
}

/// The refs of the pair-device a registration gets, bounded; the test acks it as a companion must (docs/protocol/lower.md §5.2).
func pairDeviceRefs(_ connection: WAConnection) async -> [String] {
    guard let iq = await firstNode(connection, "pair-device"), let id = iq.string("id") else { return [] }
    try? await connection.send(
        BinaryNode(tag: "iq", attributes: ["to": .jid(JID.serverJID), "id": .string(id), "type": "result"]))
    return iq.child("pair-device")?.children("ref").map { String(decoding: $0.contentBytes ?? [], as: UTF8.self) } ?? []
}

/// The first `<stream:error>`, bounded.
func firstStreamError(_ connection: WAConnection, timeout: Duration = .seconds(10)) async -> StreamError? {
    guard let node = await firstNode(connection, "stream:error", timeout: timeout) else { return nil }
    return StreamError(code: node.int("code"), conflict: node.child("conflict")?.string("type"))
}

/// How the server answered a login payload.
enum LoginOutcome: Equatable {
    case success(time: Int?, lid: String?)
    case failure(reason: Int?)
    case nothing
}

/// The `<success>` or `<failure>` after a handshake, bounded.
func loginOutcome(_ connection: WAConnection) async -> LoginOutcome {
    let event = await firstEvent(connection) {
        if case .node(let node) = $0 { node.tag == "success" || node.tag == "failure" } else { false }
    }
    guard case .node(let node)? = event else { return .nothing }
    return node.tag == "success"
        ? .success(time: node.int("t"), lid: node.string("lid")) : .failure(reason: node.int("reason"))
}

/// Links a fresh companion to `phone` through the simulator by QR; returns the companion and its JID.
func linkByQR(_ sim: WASimulator, phone: String) async throws -> (LinkingCompanion, JID) {
    let companion = LinkingCompanion()
    let connection = try companion.connection(sim, payload: try companion.registrationPayload())
    try await connection.connect()
    let refs = await pairDeviceRefs(connection)
    let ref = try #require(refs.first)
    _ = try await sim.world.scan(phone: phone, qrCode: companion.qrText(ref: ref))
    let pairSuccess = try #require(await firstNode(connection, "pair-success"))
    let paired = try companion.answer(pairSuccess: pairSuccess)
    try await connection.send(paired.reply)
    let restart = await firstStreamError(connection)
    #expect(restart == StreamError(code: 515, conflict: nil))
    await connection.close()
    return (companion, paired.jid)
}

/// Logs `companion` in as `jid`; returns the connection and the server's answer.
func logIn(_ sim: WASimulator, _ companion: LinkingCompanion, as jid: JID) async throws -> (WAConnection, LoginOutcome) {
    let connection = try companion.connection(sim, payload: try companion.loginPayload(jid))
    try await connection.connect()
    return (connection, await loginOutcome(connection))
}
