import SwiftProtobuf

/// The envelope every Signal wire message shares (docs/protocol/upper.md §1.8, §1.9, §2): `version ‖ protobuf ‖ trailer`, where
/// the trailer is a MAC (SignalMessage), a signature (SenderKeyMessage) or empty.
enum VersionedMessageBody {
    /// Checks the length bounds and the version byte, then parses the protobuf between them.
    ///
    /// - Throws: `.malformedMessage(.truncated)` when there is no body, `.malformedMessage(.invalidField("length"))`
    ///   above `SignalMessage.maximumLength`, `.unsupportedVersion`, or `.malformedMessage(.protobuf)`; never traps.
    static func parse<Body: SwiftProtobuf.Message>(
        _ serialized: [UInt8], as _: Body.Type, trailerLength: Int = 0
    ) throws(SignalError) -> (version: UInt8, body: Body) {
        guard serialized.count > 1 + trailerLength else { throw .malformedMessage(.truncated) }
        guard serialized.count <= SignalMessage.maximumLength else { throw .malformedMessage(.invalidField("length")) }
        let version = serialized[0] >> 4
        guard version == SignalMessage.currentVersion else { throw .unsupportedVersion(version) }
        do {
            return (version, try Body(serializedBytes: Array(serialized[1..<(serialized.count - trailerLength)])))
        } catch {
            throw .malformedMessage(.protobuf)
        }
    }
}
