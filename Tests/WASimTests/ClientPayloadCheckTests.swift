import Foundation
import SignalProtocol
import Testing
import WAEngine
import WANoise
import WAProto
@testable import WASim

/// The server's checks of the ClientPayload (docs/protocol/lower.md §3.1, §3.2, §7).
@Suite struct ClientPayloadCheckTests {
    typealias Payload = WAWebProtobufsWa6_ClientPayload

    func registration(_ change: (inout Payload) -> Void = { _ in }) throws -> [UInt8] {
        var payload = try Payload(serializedBytes: try LinkingCompanion().registrationPayload())
        change(&payload)
        return try payload.serializedBytes()
    }

    @Test func wellFormedRegistrationIsAccepted() throws {
        let companion = LinkingCompanion()
        let verdict = try ClientPayloadCheck.check(try companion.registrationPayload())
        guard case .registration(let registration) = verdict else {
            Issue.record("not a registration: \(verdict)")
            return
        }
        #expect(registration.identityKey == companion.identity.publicKey.rawRepresentation)
        #expect(registration.registrationID == companion.registrationID)
        #expect(registration.signedPreKeyID == 1)
    }

    @Test func brokenSignedPreKeySignatureIsRefused() throws {
        let bytes = try registration { $0.devicePairingData.eSkeySig[10] ^= 0x40 }
        #expect(throws: ClientPayloadRejection.badSignedPreKeySignature) { try ClientPayloadCheck.check(bytes) }
    }

    @Test func signatureOverTheKeyWithoutThe05PrefixIsRefused() throws {
        let companion = LinkingCompanion()
        let bytes = try registration {
            $0.devicePairingData.eSkeySig = Data(
                XEdDSA.sign(
                    message: companion.signedPreKey.keyPair.publicKey.rawRepresentation,
                    privateKey: companion.identity.privateKey))
            $0.devicePairingData.eIdent = Data(companion.identity.publicKey.rawRepresentation)
            $0.devicePairingData.eSkeyVal = Data(companion.signedPreKey.keyPair.publicKey.rawRepresentation)
        }
        #expect(throws: ClientPayloadRejection.badSignedPreKeySignature) { try ClientPayloadCheck.check(bytes) }
    }

    @Test func buildHashOfAnotherVersionIsRefused() throws {
        let bytes = try registration { $0.devicePairingData.buildHash = Data(WAClientPayload.buildHash("2.3000.1")) }
        #expect(throws: ClientPayloadRejection.buildHashMismatch) { try ClientPayloadCheck.check(bytes) }
        #expect(ClientPayloadRejection.buildHashMismatch.failureReason == 409)
    }

    @Test func wrongKeyTypeAndSizesAreRefused() throws {
        #expect(throws: ClientPayloadRejection.wrongKeyType) {
            try ClientPayloadCheck.check(try registration { $0.devicePairingData.eKeytype = Data([0x06]) })
        }
        #expect(throws: ClientPayloadRejection.wrongLength(field: "eIdent", length: 33)) {
            try ClientPayloadCheck.check(try registration { $0.devicePairingData.eIdent.append(0) })
        }
        #expect(throws: ClientPayloadRejection.wrongLength(field: "eRegid", length: 2)) {
            try ClientPayloadCheck.check(try registration { $0.devicePairingData.eRegid = Data([1, 2]) })
        }
        #expect(throws: ClientPayloadRejection.missingField("eSkeyID")) {
            try ClientPayloadCheck.check(try registration { $0.devicePairingData.clearESkeyID() })
        }
        #expect(throws: ClientPayloadRejection.unparsable) { try ClientPayloadCheck.check([0xff, 0xff, 0xff]) }
    }

    @Test func versionBelowTheMinimumGets405() throws {
        let bytes = try LinkingCompanion().registrationPayload()
        #expect(throws: ClientPayloadRejection.clientOutdated) {
            try ClientPayloadCheck.check(bytes, minimumVersion: (2, 3000, 2_000_000_000))
        }
        #expect(ClientPayloadRejection.clientOutdated.failureReason == 405)
        _ = try ClientPayloadCheck.check(bytes, minimumVersion: (2, 3000, 1))
    }

    @Test func registrationWithABrokenSignatureGetsFailure400OverTheWire() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let companion = LinkingCompanion()
        let bytes = try registration { $0.devicePairingData.eSkeySig[0] ^= 1 }
        let connection = try companion.connection(sim, payload: bytes)
        try await connection.connect()
        #expect(await loginOutcome(connection) == .failure(reason: 400))
        await connection.close()
    }
}
