import Foundation
import Testing
@testable import SignalProtocol

/// Replays every input kept in `FuzzTesting/FailCases/FuzzSignalMessage/` through the decoders the fuzz target
/// drives: each must fail with a typed error or succeed, never trap, and never change a stored session.
@Suite struct FuzzRegressionTests {
    static let failCases: [URL] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("FuzzTesting/FailCases/FuzzSignalMessage")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0) }
    }()

    @Test func keptFuzzInputsNeverTrapNorChangeState() throws {
        var random = SeededGenerator(seed: 90)
        let alice = Party(name: "alice", seed: 1, random: &random)
        let bob = Party(name: "bob", seed: 2, random: &random)
        try SessionBuilder.processBundle(bob.bundle(), for: bob.address, store: alice.store, using: &random)
        _ = try deliver(try alice.cipher(to: bob).encrypt([0]), to: bob.cipher(to: alice), random: &random)
        let before = bob.store.loadSession(for: alice.address)
        #expect(!Self.failCases.isEmpty, "the fail-case corpus is missing")
        for file in Self.failCases {
            let bytes = [UInt8](try Data(contentsOf: file))
            let body = Array(bytes.dropFirst())
            if let message = try? SignalMessage(serialized: body) {
                _ = try? bob.cipher(to: alice).decrypt(message, using: &random)
            }
            if let message = try? PreKeySignalMessage(serialized: body) {
                _ = try? bob.cipher(to: alice).decrypt(message, using: &random)
            }
            _ = try? SenderKeyMessage(serialized: body)
            _ = try? SenderKeyDistributionMessage(serialized: body)
            _ = try? SessionRecord(serialized: body)
            _ = try? SenderKeyRecord(serialized: body)
            #expect(bob.store.loadSession(for: alice.address) == before, "\(file.lastPathComponent)")
        }
    }
}
