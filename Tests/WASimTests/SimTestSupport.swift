import Foundation
import Testing
import WAEngine
@testable import WASim

/// A fresh temporary directory for one test.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "wa-sim-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Starts a simulator with `ws://`, `wss://` (fresh test CA) and control listeners on free loopback ports.
func startSimulator() async throws -> (WASimulator, String) {
    let dir = try makeTemporaryDirectory()
    let sim = try await WASimulator.start(
        .init(plainPort: 0, tlsPort: 0, controlPort: 0, tlsDirectory: dir + "/tls"))
    return (sim, dir)
}

/// Waits (bounded) until `condition` holds, polling every 20 ms.
func eventually(
    timeout: Duration = .seconds(5), _ condition: @Sendable () async -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// The next event of a transport, or nil after `timeout`.
func nextEvent(_ transport: any Transport, timeout: Duration = .seconds(5)) async -> TransportEvent? {
    await withTaskGroup(of: TransportEvent?.self) { group in
        group.addTask {
            var iterator = transport.inbound.makeAsyncIterator()
            return await iterator.next()
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
