import Foundation
import SignalProtocol
import Testing
@testable import WAStore

/// The engine's store accepts a contact's new identity (a reinstall) and reports it; trust-on-first-use
/// stays available on request.
@Suite struct IdentityTrustDefaultTests {
    private struct Contact {
        let identity: IdentityKeyPair
        let bundle: PreKeyBundle

        init(random: inout SplitMix) {
            identity = KeyHelper.generateIdentityKeyPair(using: &random)
            let signed = KeyHelper.generateSignedPreKey(
                identityKeyPair: identity, id: 1, timestamp: 1_700_000_000, using: &random)
            bundle = PreKeyBundle(
                registrationID: 77, deviceID: 0, preKeyID: nil, preKey: nil, signedPreKeyID: signed.id,
                signedPreKey: signed.keyPair.publicKey, signedPreKeySignature: signed.signature,
                identityKey: identity.publicKey)
        }
    }

    private func openStore(_ policy: IdentityTrustPolicy?, random: inout SplitMix) throws -> SQLiteSignalStore {
        let store = try policy.map { try SQLiteSignalStore(path: ":memory:", trustPolicy: $0) }
            ?? SQLiteSignalStore(path: ":memory:")
        try store.setLocalIdentity(KeyHelper.generateIdentityKeyPair(using: &random), registrationID: 1)
        return store
    }

    @Test func engineStoreAcceptsAReinstalledContactAndReportsIdentityChanged() throws {
        var random = SplitMix(state: 11)
        let store = try openStore(nil, random: &random)
        #expect(store.trustPolicy == .acceptChanges)
        let address = SignalAddress(name: "15551234567", deviceID: 0)
        let before = Contact(random: &random)
        #expect(try SessionBuilder.processBundle(before.bundle, for: address, store: store, using: &random) == nil)
        let reinstalled = Contact(random: &random)
        let event = try SessionBuilder.processBundle(reinstalled.bundle, for: address, store: store, using: &random)
        #expect(event == .identityChanged(address, previous: before.identity.publicKey, current: reinstalled.identity.publicKey))
        #expect(try store.identity(for: address) == reinstalled.identity.publicKey)
    }

    @Test func trustOnFirstUseStillRefusesAChangedIdentityWhenAskedFor() throws {
        var random = SplitMix(state: 12)
        let store = try openStore(.trustOnFirstUse, random: &random)
        let address = SignalAddress(name: "15551234567", deviceID: 0)
        let before = Contact(random: &random)
        try SessionBuilder.processBundle(before.bundle, for: address, store: store, using: &random)
        let reinstalled = Contact(random: &random)
        #expect(throws: SignalError.untrustedIdentity(address)) {
            try SessionBuilder.processBundle(reinstalled.bundle, for: address, store: store, using: &random)
        }
        #expect(try store.identity(for: address) == before.identity.publicKey)
    }
}
