import Foundation
import SignalProtocol
import Testing
import WABinary
import WANoise
import WAProto
import WAStore
@testable import WAEngine

/// One in-memory transport; the server end is a ``ScriptedServer``.
final class LoopbackTransport: Transport, @unchecked Sendable {
    let inbound: AsyncStream<TransportEvent>
    private let continuation: AsyncStream<TransportEvent>.Continuation
    private let onSend: @Sendable ([UInt8]) async -> Void

    init(onSend: @escaping @Sendable ([UInt8]) async -> Void) {
        (inbound, continuation) = AsyncStream.makeStream()
        self.onSend = onSend
    }

    func send(_ message: [UInt8]) async throws(TransportError) { await onSend(message) }
    func close() async {
        continuation.yield(.closed(.local))
        continuation.finish()
    }
    func deliver(_ message: [UInt8]) { continuation.yield(.message(message)) }
    func closeRemotely() {
        continuation.yield(.closed(.remote(code: nil)))
        continuation.finish()
    }
}

/// A WhatsApp server in-process (handshake with WANoise's responder, then scripted node answers), playing the
/// phone too: ``scan(_:)`` reads a QR string and sends `pair-success` signed by ``primary``.
actor ScriptedServer: TransportConnector {
    struct Connection {
        var transport: LoopbackTransport
        var decoder = WAFrameDecoder(role: .server)
        var encoder = WAFrameEncoder(role: .server)
        var responder: WAHandshakeResponder?
        var noise: NoiseTransport?
        var login: Bool = false
    }

    let root = NoiseKeyPair.generate()
    let staticKey = NoiseKeyPair.generate()
    let chain: [UInt8]
    let primary = FakePrimary()
    static let now: UInt64 = UInt64(Date().timeIntervalSince1970)
    private var connections: [Connection] = []
    private(set) var log: [String] = []
    private(set) var uploadedPreKeys = 0
    private(set) var loginPayloads: [WAWebProtobufsWa6_ClientPayload] = []
    /// Whether a `pair-device-sign` arrived: the device is linked, and only then is a login answered `<success>`
    /// (else `<failure reason="401">`, as WhatsApp for credentials it does not know).
    private(set) var deviceLinked = false
    /// Tests: swallow the `pair-device-sign` (as if the companion stopped before it went out).
    var losePairDeviceSign = false

    func setLosePairDeviceSign(_ lose: Bool) { losePairDeviceSign = lose }

    init() throws {
        var random = SystemRandomNumberGenerator()
        chain = try WACertificateChain.build(
            rootPrivateKey: root.privateKey, intermediateKey: .generate(), serverStaticKey: staticKey.publicKey,
            validity: (Self.now - 3600)...(Self.now + 3600), random: &random)
    }

    func connect() async throws(TransportError) -> any Transport {
        let index = connections.count
        let transport = LoopbackTransport { [weak self] message in await self?.received(message, on: index) }
        connections.append(
            Connection(
                transport: transport,
                responder: WAHandshakeResponder(staticKey: staticKey, ephemeralKey: .generate(), certificateChain: chain)))
        return transport
    }

    private func received(_ message: [UInt8], on index: Int) {
        var connection = connections[index]
        defer { connections[index] = connection }
        connection.decoder.append(message)
        while let frame = try? connection.decoder.nextFrame() {
            do {
                if var responder = connection.responder {
                    if connection.noise == nil, let hello = try? WAHandshakeMessage.parseClientHello(frame) {
                        let reply = try responder.receivedClientHello(hello)
                        connection.responder = responder
                        connection.transport.deliver(try connection.encoder.encode(WAHandshakeMessage.serialize(reply)))
                        continue
                    }
                    let done = try responder.receivedClientFinish(try WAHandshakeMessage.parseClientFinish(frame))
                    connection.responder = nil
                    connection.noise = done.transport
                    let payload = try WAWebProtobufsWa6_ClientPayload(serializedBytes: done.clientPayload)
                    if payload.hasDevicePairingData {
                        log.append("registration")
                        send(ServerNode.pairDevice(id: "pd-1", refs: (1...6).map { "2@ref\($0)" }), on: &connection)
                    } else {
                        log.append("login")
                        loginPayloads.append(payload)
                        guard deviceLinked else {
                            log.append("login refused 401")
                            send(BinaryNode(tag: "failure", attributes: ["reason": "401"]), on: &connection)
                            connection.transport.closeRemotely()
                            continue
                        }
                        connection.login = true
                        send(ServerNode.success(), on: &connection)
                    }
                    continue
                }
                var noise = connection.noise!
                let node = try BinaryFrame.decode(try noise.decrypt(frame))
                connection.noise = noise
                handle(node, on: &connection)
            } catch {
                log.append("server error \(error)")
            }
        }
    }

    private func handle(_ node: BinaryNode, on connection: inout Connection) {
        let id = node.string("id") ?? ""
        func result(_ children: [BinaryNode] = []) -> BinaryNode {
            BinaryNode(
                tag: "iq", attributes: ["from": .jid(JID.serverJID), "type": "result", "id": .string(id)], children: children)
        }
        if node.tag == "iq", id == "pd-1", node.string("type") == "result" {
            log.append("pair-device acked")
        } else if let sign = node.child(path: "pair-device-sign", "device-identity") {
            guard !losePairDeviceSign else {
                log.append("pair-device-sign lost")
                return
            }
            deviceLinked = true
            log.append("pair-device-sign key-index=\(sign.string("key-index") ?? "")")
            send(ServerNode.streamError(code: 515), on: &connection)
            connection.transport.closeRemotely()
        } else if node.string("xmlns") == "encrypt", node.child("count") != nil {
            send(result([BinaryNode(tag: "count", attributes: ["value": "0"])]), on: &connection)
        } else if node.string("xmlns") == "encrypt", let list = node.child("list") {
            uploadedPreKeys += list.children("key").count
            log.append("prekeys uploaded")
            send(result(), on: &connection)
        } else if node.string("xmlns") == "passive" {
            log.append("active")
            send(result(), on: &connection)
        } else if node.tag == "presence" {
            log.append("presence \(node.string("type") ?? "")")
        } else if node.child("remove-companion-device") != nil {
            log.append("remove-companion-device")
            send(result(), on: &connection)
        }
    }

    private func send(_ node: BinaryNode, on connection: inout Connection) {
        guard var noise = connection.noise, let plaintext = try? BinaryFrame.encode(node),
            let ciphertext = try? noise.encrypt(plaintext), let framed = try? connection.encoder.encode(ciphertext)
        else { return }
        connection.noise = noise
        connection.transport.deliver(framed)
    }

    /// The phone scans `qr`: pair-success for the identity and ADV secret it carries (docs/protocol/lower.md §5.3, §5.5).
    func scan(_ qr: String) throws {
        let fields = qr.dropFirst(WAQRString.prefix.count).split(separator: ",").map(String.init)
        let identity = [UInt8](Data(base64Encoded: fields[2])!)
        let adv = [UInt8](Data(base64Encoded: fields[3])!)
        let blob = try primary.deviceIdentity(companionIdentity: identity, advSecret: adv)
        var connection = connections[connections.count - 1]
        send(ServerNode.pairSuccess(id: "ps-1", deviceIdentity: blob), on: &connection)
        connections[connections.count - 1] = connection
    }
}

@Suite(.serialized) struct WAClientPairingTests {
    static func client(_ server: ScriptedServer, directory: String) async throws -> WAClient {
        var configuration = WAClientConfiguration(dataDirectory: directory, rootPublicKey: server.root.publicKey)
        configuration.connector = server
        return try WAClient(configuration: configuration)
    }

    static func next(
        _ client: WAClient, timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (WAClientEvent) -> Bool
    ) async -> WAClientEvent? {
        await withTaskGroup(of: WAClientEvent?.self) { group in
            group.addTask {
                for await event in client.events where predicate(event) { return event }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    static func waitFor(_ condition: @Sendable () async -> Bool) async -> Bool {
        for _ in 0..<500 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func qrPairingStoresTheLinkRestartsOn515LogsInAndUploadsPreKeys() async throws {
        let server = try ScriptedServer()
        let directory = NSTemporaryDirectory() + "waclient-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try await Self.client(server, directory: directory)
        await client.start()
        _ = try await client.link(.qr)
        let event = await Self.next(client) { if case .qr = $0 { true } else { false } }
        guard case .qr(let qr) = event else {
            Issue.record("no QR, got \(String(describing: event))")
            return
        }
        #expect(qr.code.hasPrefix(WAQRString.prefix + "2@ref1,"))
        try await server.scan(qr.code)
        let connected = await Self.next(client) { if case .status(let s) = $0 { s.state == .connected } else { false } }
        guard case .status(let status) = connected else {
            Issue.record("never connected; server log \(await server.log)")
            return
        }
        #expect(status.account == WAClientStatus.Account(
            jid: "15551234567:3@s.whatsapp.net", lid: "123456789:3@lid", phone: "15551234567", pushName: nil))
        #expect(await Self.waitFor { await server.uploadedPreKeys == 812 })
        let log = await server.log
        #expect(Array(log.prefix(4)) == ["registration", "pair-device acked", "pair-device-sign key-index=7", "login"])
        #expect(log.contains("active"))
        #expect(log.contains("presence unavailable"))
        let login = try #require(await server.loginPayloads.first)
        #expect(login.username == 15_551_234_567)
        #expect(login.device == 3)
        #expect(login.passive)

        // The link is on disk: a new engine on the same directory logs in with it.
        await client.stop()
        let database = try AccountDatabase(path: directory + "/account.sqlite")
        let link = try #require(try database.loadLink())
        #expect(link.device.jid == "15551234567:3@s.whatsapp.net")
        #expect(try database.signal.preKeyCount() == 812)
        #expect(try permissions(directory + "/account.sqlite") == 0o600)
        let again = try await Self.client(server, directory: directory)
        await again.start()
        #expect(await Self.waitFor { await again.status.state == .connected })
        #expect(await server.loginPayloads.count == 2)

        // Logout tells the server, wipes the store, and leaves the engine loggedOut.
        let out = try await again.logout()
        #expect(out == WAClientStatus(state: .loggedOut, reason: .loggedOutByUser))
        let removed = await Self.waitFor { await server.log.contains("remove-companion-device") }
        let serverLog = await server.log
        #expect(removed, "\(serverLog)")
        #expect(try database.loadLink() == nil)
        await #expect(throws: WAClientError.notLinked) { _ = try await again.logout() }
        await again.stop()
    }
}

extension WAClientPairingTests {
    /// A kill between storing the link and the `pair-device-sign` reaching the server (docs/protocol/lower.md §5.6
    /// steps 6–7), as suite 55's kill-during-link: the relaunched engine's login is refused 401, and it starts over
    /// (unlinked, `linkIncomplete`, the store wiped), never "logged out by the phone"; a new QR link then completes.
    @Test func relaunchAfterAStopBetweenStoringTheLinkAndItsSignatureStartsOver() async throws {
        let server = try ScriptedServer()
        await server.setLosePairDeviceSign(true)
        let directory = NSTemporaryDirectory() + "waclient-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = try await Self.client(server, directory: directory)
        await client.start()
        _ = try await client.link(.qr)
        guard case .qr(let qr) = await Self.next(client, where: { if case .qr = $0 { true } else { false } }) else {
            Issue.record("no QR")
            return
        }
        try await server.scan(qr.code)
        #expect(await Self.waitFor { await server.log.contains("pair-device-sign lost") })
        await client.stop()
        let database = try AccountDatabase(path: directory + "/account.sqlite")
        let stored = try #require(try database.loadLink())
        #expect(!stored.device.linkConfirmed)

        await server.setLosePairDeviceSign(false)
        let again = try await Self.client(server, directory: directory)
        await again.start()
        #expect(await Self.waitFor { await again.status.state != .connecting })
        #expect(await again.status == WAClientStatus(state: .unlinked, reason: .linkIncomplete))
        #expect(await server.log.contains("login refused 401"))
        #expect(try database.loadLink() == nil)

        _ = try await again.link(.qr)
        guard case .qr(let fresh) = await Self.next(again, where: { if case .qr = $0 { true } else { false } }) else {
            Issue.record("no QR after starting over")
            return
        }
        try await server.scan(fresh.code)
        #expect(await Self.waitFor { await again.status.state == .connected })
        #expect(try database.loadLink()?.device.linkConfirmed == true)
        await again.stop()
    }
}

func permissions(_ path: String) throws -> Int {
    ((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1) & 0o777
}
