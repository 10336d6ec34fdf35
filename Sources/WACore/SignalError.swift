/// Every way a Signal operation can fail, as a typed value.
///
/// Peer-supplied bytes that are malformed, forged or replayed surface as one of these cases; the
/// library never traps on input. Shaped after libsignal's `SignalProtocolError`.
public enum SignalError: Error, Equatable, Sendable {
    /// A key had the wrong length.
    case invalidKeyLength(expected: Int, actual: Int)
    /// A serialized public key did not start with the DJB type byte `0x05` (docs/protocol/upper.md §1.1).
    case badKeyType(UInt8)
    /// X25519 produced the all-zero shared secret (the peer sent a small-order point).
    case invalidAgreement
    /// A signature was not 64 bytes or did not verify.
    case invalidSignature
    /// The version byte names a version other than 3 (docs/protocol/upper.md §1.9).
    case unsupportedVersion(UInt8)
    /// A message or record was too short, had a malformed protobuf, or lacked a required field.
    case malformedMessage(MalformedReason)
    /// The 8-byte truncated MAC of a SignalMessage did not match (docs/protocol/upper.md §1.8).
    case badMAC
    /// The message key for this counter was already used or never stored.
    case duplicateMessage(chainIndex: UInt32, counter: UInt32)
    /// The counter is more than the allowed number of messages ahead of the chain (docs/protocol/upper.md §1.10).
    case tooFarIntoFuture(counter: UInt32)
    /// The PreKeySignalMessage names a one-time prekey we do not hold.
    case unknownPreKey(id: UInt32)
    /// The PreKeySignalMessage names a signed prekey we do not hold.
    case unknownSignedPreKey(id: UInt32)
    /// No session exists for the address.
    case noSession
    /// The session has no receiving chain for the message's ratchet key and no state could decrypt it.
    case noValidSession
    /// The remote identity differs from the trusted one (docs/protocol/upper.md §1.11).
    case untrustedIdentity(SignalAddress)
    /// No sender-key state exists for this group sender and key id.
    case noSenderKeyState(keyID: UInt32)
    /// AES-CBC decryption failed (bad padding or length).
    case invalidCiphertext
}

/// Why a message or record was rejected as malformed.
public enum MalformedReason: Equatable, Sendable {
    /// Fewer bytes than the fixed parts of the layout need.
    case truncated
    /// The protobuf body could not be parsed.
    case protobuf
    /// A required field was absent.
    case missingField(String)
    /// A field was present with an invalid length or value.
    case invalidField(String)
}
