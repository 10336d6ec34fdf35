import Foundation
import Testing
import WABinary
import WAEngine
@testable import WASim

/// The engine (WAClient: machine, store, connection) against wa-sim over loopback, up to the QR code.
@Suite(.serialized) struct WAClientLinkingTests {
    static func client(_ sim: WASimulator, dataDirectory: String, tls: Bool = true) throws -> WAClient {
        var configuration = WAClientConfiguration(
            dataDirectory: dataDirectory, serverURL: try #require(tls ? sim.tlsURL : sim.plainURL),
            rootPublicKey: sim.identity.rootPublicKey, extraTrustRootsFile: sim.caFile)
        configuration.machine.lockRetryInterval = 0.2
        return try WAClient(configuration: configuration)
    }

    /// The first event matching `predicate` (bounded).
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

    @Test(arguments: [false, true])
    func linkByQRReachesThePairDeviceRefsAndEmitsAQRCode(overTLS: Bool) async throws {
        let (sim, dir) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let client = try Self.client(sim, dataDirectory: dir + "/engine", tls: overTLS)
        await client.start()
        #expect(await client.status.state == .unlinked)
        let started = Date()
        let status = try await client.link(.qr)
        #expect(status.state == .linking)
        #expect(status.method == .qr)
        let event = await Self.next(client) { if case .qr = $0 { true } else { false } }
        guard case .qr(let qr) = event else {
            Issue.record("no QR event, got \(String(describing: event))")
            return
        }
        #expect(qr.index == 1)
        #expect(qr.code.hasPrefix(WAQRString.prefix + "2@"))
        #expect(qr.code.hasSuffix(",9"))
        #expect(qr.code.split(separator: ",").count == 5)
        #expect(Array(qr.png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(abs(qr.expiresAt.timeIntervalSince(started) - 60) < 5)
        // The machine acked pair-device (docs/protocol/lower.md §5.2) and the sim saw a registration payload.
        #expect(await eventually { await sim.world.allConnections().first?.events.contains("pair-device acked") == true })
        let record = try #require(await sim.world.allConnections().first)
        #expect(record.payload?.kind == "registration")
        #expect(qr.code.contains(record.events.first { $0.hasPrefix("sent pair-device") }?.split(separator: " ").last.map(String.init) ?? "?"))
        let cancelled = await client.cancelLink()
        #expect(cancelled == WAClientStatus(state: .unlinked, reason: .cancelled))
        await client.stop()
        // Nothing is stored before pair-success: a restart is unlinked again.
        let again = try Self.client(sim, dataDirectory: dir + "/engine", tls: overTLS)
        await again.start()
        #expect(await again.status.state == .unlinked)
        await again.stop()
    }

    @Test func secondEngineOnTheSameAccountIsInUseElsewhereAndTakesOverWhenTheFirstStops() async throws {
        let (sim, dir) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let first = try Self.client(sim, dataDirectory: dir + "/engine")
        await first.start()
        let second = try Self.client(sim, dataDirectory: dir + "/engine")
        await second.start()
        #expect(await second.status == WAClientStatus(state: .stopped, reason: .inUseElsewhere))
        await #expect(throws: WAClientError.engineBusy) { _ = try await second.link(.qr) }
        await first.stop()
        #expect(await eventually { await second.status.state == .unlinked })
        _ = try await second.link(.qr)
        let event = await Self.next(second) { if case .qr = $0 { true } else { false } }
        #expect(event != nil)
        await second.stop()
    }
}

extension WAClientLinkingTests {
    @Test func unusableDataDirectoryIsUnavailableStoreUnavailable() async throws {
        let (sim, dir) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        // A regular file where the data directory should be.
        FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        let client = try Self.client(sim, dataDirectory: dir + "/file")
        await client.start()
        let status = await client.status
        #expect(status == WAClientStatus(state: .unavailable, reason: .storeUnavailable))
        await #expect(throws: WAClientError.storeUnavailable) { _ = try await client.link(.qr) }
        await client.stop()
    }

    @Test func relativeDataDirectoryIsAConfigurationError() {
        #expect(throws: WAClientError.self) {
            _ = try WAClient(configuration: WAClientConfiguration(dataDirectory: "relative/dir"))
        }
    }
}
