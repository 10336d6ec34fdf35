/// What to do when a contact's identity key is not the one we stored (docs/protocol/upper.md §1.11).
public enum IdentityTrustPolicy: Sendable, Equatable {
    /// Trust on first use; a changed key is rejected with `SignalError.untrustedIdentity` until the app
    /// removes the stored identity (e.g. after the user confirms).
    case trustOnFirstUse
    /// whatsmeow's default (`AutoTrustIdentity`): accept the new key, archive the old session and report
    /// `SignalEvent.identityChanged`.
    case acceptChanges

    /// Whether `received` may be used given the stored key.
    public func isTrusted(stored: Curve25519PublicKey?, received: Curve25519PublicKey) -> Bool {
        guard let stored, stored != received else { return true }
        switch self {
        case .trustOnFirstUse: return false
        case .acceptChanges: return true
        }
    }
}

/// Things the application should hear about, returned beside the cipher's results.
public enum SignalEvent: Sendable, Equatable {
    /// A remote device's identity key differs from the one stored before (a "security code changed" notice).
    case identityChanged(SignalAddress, previous: Curve25519PublicKey, current: Curve25519PublicKey)
    /// A message was decrypted with an archived state, which is now current again.
    case archivedStatePromoted(SignalAddress)
}

extension IdentityKeyStore {
    /// Checks trust and records the identity; returns the change event, if any. Call inside a transaction.
    func checkAndStoreIdentity(
        _ received: Curve25519PublicKey, for address: SignalAddress
    ) throws -> SignalEvent? {
        let stored = try identity(for: address)
        guard trustPolicy.isTrusted(stored: stored, received: received) else {
            throw SignalError.untrustedIdentity(address)
        }
        if stored != received { try storeIdentity(received, for: address) }
        if let stored, stored != received { return .identityChanged(address, previous: stored, current: received) }
        return nil
    }

    /// Checks trust without writing anything.
    func checkTrust(_ received: Curve25519PublicKey, for address: SignalAddress) throws {
        guard trustPolicy.isTrusted(stored: try identity(for: address), received: received) else {
            throw SignalError.untrustedIdentity(address)
        }
    }
}
