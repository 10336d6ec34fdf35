/// The address of one device of one contact: a storage key, never sent on the wire.
///
/// docs/protocol/upper.md §1.10: name = JID user (plus `_<domainType>` for non-zero domains, e.g. `12345_1` for
/// LID), device id = JID device. Rendered `name.device` like libsignal-node.
public struct SignalAddress: Hashable, Sendable, CustomStringConvertible {
    /// The user part (e.g. phone number or LID user, with its domain suffix).
    public var name: String
    /// The device id (0 = primary device).
    public var deviceID: UInt32

    public init(name: String, deviceID: UInt32) {
        self.name = name
        self.deviceID = deviceID
    }

    public var description: String { "\(name).\(deviceID)" }
}
