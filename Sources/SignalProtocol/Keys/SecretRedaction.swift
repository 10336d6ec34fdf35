/// Log-safe renderings of the values that hold secret key material (house rule: never log keys).
///
/// Without these, `"\(value)"`, `String(reflecting:)` and `dump` print a struct's stored bytes, and so
/// does printing anything that contains one (a `SessionState`, a `PreKeyRecord`, a store snapshot). Each
/// type below prints its name (`Curve25519PrivateKey` does the same, in WACore), its non-secret counters and `<redacted>`; its mirror has no secret children.
extension RootKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "RootKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

extension ChainKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ChainKey(index: \(index), key: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["index": index]) }
}

extension MessageKeys: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "MessageKeys(counter: \(counter), <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["counter": counter]) }
}

extension SenderChainKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SenderChainKey(iteration: \(iteration), seed: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["iteration": iteration]) }
}

extension SenderMessageKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SenderMessageKey(iteration: \(iteration), seed: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["iteration": iteration]) }
}
