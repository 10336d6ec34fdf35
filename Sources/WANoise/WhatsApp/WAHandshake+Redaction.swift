/// Log-safe rendering of the WhatsApp handshake drivers and their results: they hold the noise key pairs,
/// the chaining key and the transport keys, none of which may reach a log or a `dump`.
extension WAHandshakeInitiator: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WAHandshakeInitiator(keys: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["configuration": configuration]) }
}

extension WAHandshakeInitiator.Completion: CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var description: String {
        "WAHandshakeInitiator.Completion(serverStaticKey: \(serverStaticKey.hexString), transport: \(transport))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["serverStaticKey": serverStaticKey.hexString, "transport": transport])
    }
}

extension WAHandshakeResponder: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WAHandshakeResponder(keys: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension WAHandshakeResponder.Completion: CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var description: String {
        "WAHandshakeResponder.Completion(clientStaticKey: \(clientStaticKey.hexString), "
            + "clientPayload: \(clientPayload.count) bytes, transport: \(transport))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "clientStaticKey": clientStaticKey.hexString, "clientPayloadCount": clientPayload.count,
                "transport": transport,
            ])
    }
}
