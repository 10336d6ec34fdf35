import SignalProtocol

/// Signal (issue 4): every wire message and stored record decoder on the same hostile bytes, and a
/// sender-key message decrypted against a real group session.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? SignalMessage(serialized: bytes)
    _ = try? PreKeySignalMessage(serialized: bytes)
    _ = try? SenderKeyDistributionMessage(serialized: bytes)
    _ = try? SessionRecord(serialized: bytes)
    _ = try? SenderKeyRecord(serialized: bytes)
    guard let message = try? SenderKeyMessage(serialized: bytes) else { return 0 }
    var random = SplitMix64(state: 42)
    let identity = KeyHelper.generateIdentityKeyPair(using: &random)
    let name = SenderKeyName(groupID: "g", sender: SignalAddress(name: "a", deviceID: 1))
    let sender = GroupCipher(store: InMemorySignalStore(identityKeyPair: identity, registrationID: 1), name: name)
    let receiver = GroupCipher(store: InMemorySignalStore(identityKeyPair: identity, registrationID: 2), name: name)
    guard let distribution = try? sender.distributionMessage(using: &random) else { return 0 }
    try? receiver.process(distribution)
    _ = try? receiver.decrypt(message)
    return 0
}
