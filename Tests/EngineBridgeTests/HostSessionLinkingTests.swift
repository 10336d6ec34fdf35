import EngineBridge
import Foundation
import HostProtocol
import HostService
import SignalProtocol
import Testing
import WABinary
import WACore
import WAEngine
import WAStore
import WASim

/// Polls `condition` for up to 5 s.
func eventually(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<500 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return false
}

/// A HostSession with the real engine (WAClientHostEngine → WAClient) against an in-process wa-sim over
/// TLS on 127.0.0.1, spoken to in native-messaging frames as the browser does.
@Suite(.serialized) struct HostSessionLinkingTests {
    @Test func qrLinkThroughTheSessionEndsConnectedWithThePhonesNumberAndTheNextSessionNeedsNoQR() async throws {
        let dir = NSTemporaryDirectory() + "engine-bridge-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sim = try await WASimulator.start(.init(plainPort: nil, tlsPort: 0, controlPort: nil, tlsDirectory: dir + "/tls"))
        let phone = try await sim.world.addPhone(number: "15551234567", pushName: "Ana")
        let settings = HostSettings(
            serverURL: try #require(sim.tlsURL).absoluteString, rootPublicKey: sim.identity.rootPublicKey,
            caFile: sim.caFile)
        let engine = try WAClientHostEngine(settings: settings, dataDirectory: dir + "/data")
        let source = FrameSource()
        let sink = FrameCollector()
        let session = HostSession(
            context: HostContext(
                hostVersion: "0.1.0", storePath: dir + "/data", originAllowed: true,
                diagnostics: { _ in fatalError("not asked") }),
            engine: engine, source: source, sink: sink)
        let running = Task { await session.run() }

        source.send(#"{"id": 1, "type": "host.hello", "payload": {"protocolVersion": 1}}"#)
        let hello = try #require(await sink.first { $0["id"] as? Int == 1 })
        #expect(((hello["result"] as? [String: Any])?["engine"] as? [String: Any])?["state"] as? String == "unlinked")

        source.send(#"{"id": 2, "type": "link.start", "payload": {"method": "qr"}}"#)
        let started = try #require(await sink.first { $0["id"] as? Int == 2 })
        #expect((started["result"] as? [String: Any])?["state"] as? String == "linking")
        let qrEvent = try #require(await sink.first { $0["type"] as? String == "link.qr" })
        let qr = try #require(qrEvent["payload"] as? [String: Any])
        let code = try #require(qr["code"] as? String)
        #expect(code.hasPrefix("https://wa.me/settings/linked_devices#"))
        let pngBase64 = try #require(qr["pngBase64"] as? String)
        let png = try #require(Data(base64Encoded: pngBase64))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

        let device = try await sim.world.scan(phone: phone.number, qrCode: code)
        let connected = try #require(
            await sink.first { $0["type"] as? String == "engine.state" && ($0["payload"] as? [String: Any])?["state"] as? String == "connected" })
        let account = try #require((connected["payload"] as? [String: Any])?["account"] as? [String: Any])
        #expect(account["phone"] as? String == "15551234567")
        #expect(account["jid"] as? String == device)
        // The phone's first peer message names the account's push name (docs/protocol/upper.md §5.1).
        let named = try #require(
            await sink.first {
                $0["type"] as? String == "engine.state"
                    && (($0["payload"] as? [String: Any])?["account"] as? [String: Any])?["pushName"] as? String == "Ana"
            })
        #expect((named["payload"] as? [String: Any])?["state"] as? String == "connected")

        // A contact reinstalled WhatsApp: wa-sim sends `<notification type="encrypt"><identity/>` from them; the
        // engine acks it, forgets their identity and sessions (every device), and the host emits
        // contact.identityChanged. Another contact's stored identity stays.
        let contact = "5511912345678"
        let sideDatabase = try AccountDatabase(path: dir + "/data/" + WAClient.accountDatabaseFileName)
        let oldKey = try Curve25519PublicKey(rawRepresentation: Array(repeating: 9, count: 32))
        for address in [SignalAddress(name: contact, deviceID: 0), SignalAddress(name: contact, deviceID: 2)] {
            try sideDatabase.signal.storeIdentity(oldKey, for: address)
        }
        let other = SignalAddress(name: contact + "9", deviceID: 0)
        try sideDatabase.signal.storeIdentity(oldKey, for: other)
        let loggedIn = try #require(
            await sim.world.allConnections().last { $0.state == .established && $0.payload?.kind == "login" })
        try await sim.world.sendIdentityChange(loggedIn.id, contact: JID(user: contact, server: JID.userServer))
        let changed = try #require(await sink.first { $0["type"] as? String == "contact.identityChanged" })
        #expect((changed["payload"] as? [String: Any])?["jid"] as? String == contact + "@s.whatsapp.net")
        #expect(try sideDatabase.signal.identity(for: SignalAddress(name: contact, deviceID: 0)) == nil)
        #expect(try sideDatabase.signal.identity(for: SignalAddress(name: contact, deviceID: 2)) == nil)
        #expect(try sideDatabase.signal.identity(for: other) == oldKey)
        let acked = await eventually {
            await sim.world.receivedStanzas(loggedIn.id)?.contains {
                $0.tag == "ack" && $0.attributes["class"] == "notification" && $0.attributes["type"] == "encrypt"
                    && $0.attributes["to"] == contact + "@s.whatsapp.net"
            } ?? false
        }
        #expect(acked)

        source.close()
        #expect(await running.value == 0)

        // The next session on the same data directory logs in with the stored account: no QR.
        let again = try WAClientHostEngine(settings: settings, dataDirectory: dir + "/data")
        let source2 = FrameSource()
        let sink2 = FrameCollector()
        let session2 = HostSession(
            context: HostContext(
                hostVersion: "0.1.0", storePath: dir + "/data", originAllowed: true,
                diagnostics: { _ in fatalError("not asked") }),
            engine: again, source: source2, sink: sink2)
        let running2 = Task { await session2.run() }
        source2.send(#"{"id": 1, "type": "host.hello", "payload": {"protocolVersion": 1}}"#)
        let reconnected = await sink2.first {
            (($0["result"] as? [String: Any])?["engine"] as? [String: Any])?["state"] as? String == "connected"
                || ($0["type"] as? String == "engine.state" && ($0["payload"] as? [String: Any])?["state"] as? String == "connected")
        }
        #expect(reconnected != nil)
        // The stored name comes with the account on the next launch.
        let reconnectedStatus = (reconnected?["payload"] as? [String: Any]) ?? ((reconnected?["result"] as? [String: Any])?["engine"] as? [String: Any])
        #expect((reconnectedStatus?["account"] as? [String: Any])?["pushName"] as? String == "Ana")
        #expect(!sink2.messages.contains { $0["type"] as? String == "link.qr" })
        source2.close()
        #expect(await running2.value == 0)
        await sim.shutdown()
    }
}

/// The browser's side of stdin: frames fed by the test; `read` blocks until bytes arrive or it is closed.
final class FrameSource: ByteSource {
    private let state = Locked<(pending: [UInt8], closed: Bool)>(([], false))

    func send(_ json: String) {
        let body = Array(json.utf8)
        let n = UInt32(body.count)
        state.withLock { $0.pending += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + body }
        state.broadcast()
    }

    func close() {
        state.withLock { $0.closed = true }
        state.broadcast()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOFailure) -> Int {
        state.wait(until: { !$0.pending.isEmpty || $0.closed }) { state in
            let count = min(buffer.count, state.pending.count)
            for index in 0..<count { buffer[index] = state.pending[index] }
            state.pending.removeFirst(count)
            return count
        }
    }
}

/// The browser's side of stdout: keeps every frame the host wrote, decoded as JSON objects.
final class FrameCollector: FrameSink {
    private let bytes = Locked<[UInt8]>([])

    func write(_ frame: [UInt8]) throws(IOFailure) {
        bytes.withLock { $0 += frame }
    }

    var messages: [[String: Any]] {
        var decoder = NativeFrameDecoder(maximumFrameLength: NativeFrameEncoder.maximumMessageLength)
        decoder.append(bytes.withLock { $0 })
        var result: [[String: Any]] = []
        while let frame = try? decoder.nextFrame() {
            if let object = try? JSONSerialization.jsonObject(with: Data(frame)) as? [String: Any] { result.append(object) }
        }
        return result
    }

    /// The first message matching `predicate`, waiting (bounded) for it to be written.
    func first(timeout: Duration = .seconds(10), where predicate: ([String: Any]) -> Bool) async -> [String: Any]? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let found = messages.first(where: predicate) { return found }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return messages.first(where: predicate)
    }
}
