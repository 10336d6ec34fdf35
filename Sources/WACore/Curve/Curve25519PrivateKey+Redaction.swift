/// A private key never prints its bytes (house rule: never log keys): `"\(key)"`, `String(reflecting:)` and
/// `dump` show `Curve25519PrivateKey(<redacted>)`, and so does anything that contains one.
extension Curve25519PrivateKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Curve25519PrivateKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
