import Foundation
import Testing
@testable import WANoise

/// Our WhatsApp handshake against an independent implementation: `noiseprotocol` with the WA rule and
/// `python-axolotl-curve25519` certificates (tests/oracles/noise_wa_oracle.py; docs/test-oracles.md §4).
///
/// Needs `CRM_WHATSAPP_VENV` (set by ./test.sh and tests/suites/22-noise-oracle.sh); skipped with that
/// reason when it is missing.
@Suite(.enabled(if: OracleProcess.venv != nil, "CRM_WHATSAPP_VENV is not set: run ./test.sh or tests/suites/22-noise-oracle.sh"))
struct NoiseOracleTests {
    static let rootPrivateKey = [UInt8](repeating: 0x5A, count: 31) + [0x41]
    static let now: UInt64 = 1_800_000_000

    @Test func oracleResponderCompletesHandshakeWithOurInitiator() throws {
        let oracle = try OracleProcess(mode: "responder", key: Self.rootPrivateKey, now: Self.now, serverSide: false)
        let root = try NoiseKeyPair(privateKey: Self.rootPrivateKey)
        var client = WAHandshakeInitiator(
            staticKey: .generate(), ephemeralKey: .generate(), configuration: WAHandshakeConfiguration(rootPublicKey: root.publicKey))
        var frames = WAFrameEncoder(role: .client(routingInfo: nil))
        try oracle.write(try frames.encode(WAHandshakeMessage.serialize(try client.clientHello())))
        let hello = try WAHandshakeMessage.parseServerHello(try oracle.readFrame())
        let payload = try WAClientPayload.login(username: 15_551_234_567, device: 2).serializedBytes() as [UInt8]
        var done = try client.receivedServerHello(hello, clientPayload: payload, now: Self.now)
        try oracle.write(try frames.encode(WAHandshakeMessage.serialize(done.clientFinish)))
        try oracle.write(try frames.encode(try done.transport.encrypt(Array("first".utf8))))
        try oracle.write(try frames.encode(try done.transport.encrypt(Array("second".utf8))))
        #expect(try done.transport.decrypt(try oracle.readFrame()) == Array("oracle:".utf8) + payload + Array("first".utf8))
        #expect(try done.transport.decrypt(try oracle.readFrame()) == Array("oracle:second".utf8))
        let (status, log) = oracle.finish()
        #expect(status == 0, "\(log)")
    }

    @Test func oracleInitiatorCompletesHandshakeWithOurResponder() throws {
        let root = try NoiseKeyPair(privateKey: Self.rootPrivateKey)
        let oracle = try OracleProcess(mode: "initiator", key: root.publicKey, now: Self.now, serverSide: true)
        let serverStatic = NoiseKeyPair.generate()
        var random = SystemRandomNumberGenerator()
        let chain = try WACertificateChain.build(
            rootPrivateKey: Self.rootPrivateKey, intermediateKey: .generate(), serverStaticKey: serverStatic.publicKey,
            validity: (Self.now - 60)...(Self.now + 60), random: &random)
        var server = WAHandshakeResponder(staticKey: serverStatic, ephemeralKey: .generate(), certificateChain: chain)
        var frames = WAFrameEncoder(role: .server)
        let hello = try WAHandshakeMessage.parseClientHello(try oracle.readFrame())
        try oracle.write(try frames.encode(WAHandshakeMessage.serialize(try server.receivedClientHello(hello))))
        var done = try server.receivedClientFinish(try WAHandshakeMessage.parseClientFinish(try oracle.readFrame()))
        #expect(done.clientPayload == Array("oracle client payload".utf8))
        let ping = try done.transport.decrypt(try oracle.readFrame())
        #expect(ping == Array("ping from oracle".utf8))
        try oracle.write(try frames.encode(try done.transport.encrypt(Array("pong:".utf8) + done.clientPayload + done.clientStaticKey + ping)))
        let (status, log) = oracle.finish()
        #expect(status == 0, "\(log)")
    }

    @Test func specNoiseResponderWithoutWARuleFailsAgainstOurInitiator() throws {
        let oracle = try OracleProcess(mode: "spec-responder", key: Self.rootPrivateKey, now: Self.now, serverSide: false)
        let root = try NoiseKeyPair(privateKey: Self.rootPrivateKey)
        var client = WAHandshakeInitiator(
            staticKey: .generate(), ephemeralKey: .generate(), configuration: WAHandshakeConfiguration(rootPublicKey: root.publicKey))
        var frames = WAFrameEncoder(role: .client(routingInfo: nil))
        try oracle.write(try frames.encode(WAHandshakeMessage.serialize(try client.clientHello())))
        let hello = try WAHandshakeMessage.parseServerHello(try oracle.readFrame())
        #expect(throws: WAHandshakeError.noise(.decryptionFailed)) {
            try client.receivedServerHello(hello, clientPayload: [], now: Self.now)
        }
        _ = oracle.finish()
    }
}

/// The oracle script as a child process, framed over its stdin/stdout.
final class OracleProcess {
    static var venv: String? { PythonOracle.venv }

    private let process: Process
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var decoder: WAFrameDecoder

    init(mode: String, key: [UInt8], now: UInt64, serverSide: Bool) throws {
        let venv = try #require(Self.venv)
        process = PythonOracle.process(venv: venv, script: "noise_wa_oracle.py", arguments: [mode, key.hex, String(now)])
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        decoder = WAFrameDecoder(role: serverSide ? .server : .client)
        // A write to an oracle that already exited must fail this test, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
    }

    func write(_ bytes: [UInt8]) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(bytes))
    }

    func readFrame() throws -> [UInt8] {
        while true {
            if let frame = try decoder.nextFrame() { return frame }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                let (_, log) = finish()
                throw OracleFailure(log: log)
            }
            decoder.append(Array(chunk))
        }
    }

    func finish() -> (Int32, String) {
        try? input.fileHandleForWriting.close()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, log)
    }

    struct OracleFailure: Error, CustomStringConvertible {
        let log: String
        var description: String { "oracle closed its output: \(log)" }
    }
}
