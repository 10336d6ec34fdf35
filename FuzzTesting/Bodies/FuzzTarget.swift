/// The libFuzzer targets, one per area, and the body each runs on an input.
///
/// The bodies are shared: the fuzz executables (FuzzTesting/Sources/<Target>/) call them from
/// `LLVMFuzzerTestOneInput`, built with libFuzzer and AddressSanitizer instrumentation, and the unit tests
/// (Tests/FuzzReplayTests) replay every saved input of `FuzzTesting/FailCases/<Target>/` through the
/// same body, so a fixed crash stays fixed in `swift test` too.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Native-messaging frames, envelopes and dispatch (HostProtocol).
    case nativeMessages = "FuzzNativeMessages"
    /// The WhatsApp binary node decoder (WABinary).
    case binaryNode = "FuzzBinaryNode"
    /// WhatsApp transport frames, transport decryption and handshake-message parsing (WANoise).
    case noiseTransport = "FuzzNoiseTransport"
    /// Signal message parsing and decryption, stored-record decoding (SignalProtocol).
    case signalMessage = "FuzzSignalMessage"

    /// Runs the body on one input.
    /// - Throws: ``FuzzFinding`` when a property the body checks does not hold. Decoders refusing the
    ///   input with their typed errors is not a finding; a trap is (and stops the process).
    public func run(_ input: [UInt8]) throws(FuzzFinding) {
        switch self {
        case .nativeMessages: try NativeMessagesFuzzBody.run(input)
        case .binaryNode: try BinaryNodeFuzzBody.run(input)
        case .noiseTransport: try NoiseTransportFuzzBody.run(input)
        case .signalMessage: try SignalMessageFuzzBody.run(input)
        }
    }

    /// What `LLVMFuzzerTestOneInput` does: runs the body and turns a finding into a trap, which libFuzzer
    /// reports with the input that caused it.
    public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try run(input)
        } catch {
            fatalError("\(rawValue): \(error)")
        }
        return 0
    }
}
