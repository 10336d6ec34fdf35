/// Why the server's certificate chain was rejected (docs/protocol/lower.md §2.5, whatsmeow's eight checks).
public enum WACertificateError: Error, Equatable, Sendable {
    /// The payload is not a `CertChain`, or a `Details` blob does not parse.
    case malformedChain
    /// Check 1: a certificate, its details or its signature is missing.
    case missingField(WACertificateField)
    /// Check 1: a signature is not 64 bytes.
    case invalidSignatureLength(WACertificateField, actual: Int)
    /// Check 2: the intermediate is not signed by the pinned root key.
    case intermediateSignatureInvalid
    /// Check 3: the intermediate's issuer serial is not the root's (0).
    case intermediateIssuerSerialMismatch(expected: UInt32, actual: UInt32)
    /// Check 3 (and the leaf's key for check 7): a key is not 32 bytes.
    case invalidKeyLength(WACertificateField, actual: Int)
    /// Check 4: the leaf is not signed by the intermediate's key.
    case leafSignatureInvalid
    /// Check 5: `now` is outside the intermediate's `notBefore ... notAfter`.
    case intermediateOutsideValidity(now: UInt64, notBefore: UInt64, notAfter: UInt64)
    /// Check 6: the leaf's issuer serial is not the intermediate's serial.
    case leafIssuerSerialMismatch(expected: UInt32, actual: UInt32)
    /// Check 7: the leaf's key is not the server static key from the handshake.
    case leafKeyMismatch
    /// Check 8: `now` is outside the leaf's `notBefore ... notAfter`.
    case leafOutsideValidity(now: UInt64, notBefore: UInt64, notAfter: UInt64)
}

/// The parts of a `CertChain` a ``WACertificateError`` can point at.
public enum WACertificateField: Sendable, Equatable {
    /// `CertChain.intermediate` (its details, signature or key).
    case intermediate
    /// `CertChain.leaf` (its details, signature or key).
    case leaf
}
