/// Log-safe rendering of the key types: private keys and cipher keys never appear in `"\(value)"`,
/// `String(reflecting:)` or `dump`. Only public keys, nonces and flags are shown.
extension NoiseKeyPair: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey.hexString]) }
}

extension NoiseCipherState: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "NoiseCipherState(k: \(hasKey ? "<redacted>" : "empty"), n: \(nonce))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["hasKey": hasKey, "nonce": nonce]) }
}

extension NoiseTransport: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "NoiseTransport(sender: \(sender), receiver: \(receiver))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["sender": sender, "receiver": receiver]) }
}

extension NoiseHandshakeState: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "NoiseHandshakeState(role: \(role), h: \(handshakeHash.hexString), s: <redacted>, e: <redacted>, "
            + "finished: \(isFinished))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "role": role, "handshakeHash": handshakeHash.hexString, "isFinished": isFinished,
                "remoteStaticPublicKey": remoteStaticPublicKey?.hexString as Any,
            ])
    }
}
