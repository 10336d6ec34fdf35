import Foundation
import SignalProtocol
import WABinary
import WAEngine
import WANoise
import WAProto
@testable import WASim

/// A fresh companion's keys and the two ClientPayloads it can send (docs/protocol/lower.md §3, §5.1).
struct CompanionFixture {
    let noiseKey = NoiseKeyPair.generate()
    let registrationPayload: [UInt8]
    let loginPayload: [UInt8]

    init() throws {
        var random = SystemRandomNumberGenerator()
        let identity = KeyHelper.generateIdentityKeyPair(using: &random)
        let signedPreKey = KeyHelper.generateSignedPreKey(
            identityKeyPair: identity, id: 1, timestamp: 0, using: &random)
        let registration = try WAClientPayload.registration(
            registration: .init(
                registrationID: KeyHelper.generateRegistrationID(using: &random),
                identityKey: identity.publicKey.rawRepresentation, signedPreKeyID: 1,
                signedPreKey: signedPreKey.keyPair.publicKey.rawRepresentation,
                signedPreKeySignature: signedPreKey.signature))
        registrationPayload = try registration.serializedBytes()
        loginPayload = try WAClientPayload.login(username: 15_551_234_567, device: 3).serializedBytes()
    }

    func connection(
        to url: URL, sim: WASimulator, payload: [UInt8], rootPublicKey: [UInt8]? = nil,
        handshakeTimeout: Duration = .seconds(10)
    ) -> WAConnection {
        WAConnection(
            connector: WebSocketTransportConnector(url: url, extraTrustRootsFile: sim.caFile),
            staticKey: noiseKey, rootPublicKey: rootPublicKey ?? sim.identity.rootPublicKey,
            clientPayload: payload, handshakeTimeout: handshakeTimeout)
    }
}

/// Collects a connection's events until it disconnects (bounded).
func collectEvents(_ connection: WAConnection, timeout: Duration = .seconds(10)) async -> [ConnectionEvent] {
    await withTaskGroup(of: [ConnectionEvent]?.self) { group in
        group.addTask {
            var events: [ConnectionEvent] = []
            for await event in connection.events {
                events.append(event)
            }
            return events
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first ?? []
    }
}

/// The first event matching `predicate` (bounded).
func firstEvent(
    _ connection: WAConnection, timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (ConnectionEvent) -> Bool
) async -> ConnectionEvent? {
    await withTaskGroup(of: ConnectionEvent?.self) { group in
        group.addTask {
            for await event in connection.events where predicate(event) {
                return event
            }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
