import SignalProtocol
import WABinary

/// A companion's pre-key upload, `<iq xmlns="encrypt" type="set">` (docs/protocol/lower.md §6.1), as the
/// server checks it. Pure.
struct PreKeyUpload: Sendable, Equatable {
    var registrationID: UInt32
    var preKeyCount: Int
    var signedPreKeyID: UInt32

    /// The most keys one upload may carry (whatsmeow sends 812 at most).
    static let maximumKeys = 1000

    enum Rejection: Error, Equatable {
        case missing(String)
        case wrongLength(String)
        case wrongKeyType
        case identityMismatch
        case tooManyKeys
        case badSignature
    }

    static func check(_ iq: BinaryNode, identityKey: [UInt8]) -> Result<PreKeyUpload, Rejection> {
        func bytes(_ node: BinaryNode?, _ name: String, _ length: Int) -> Result<[UInt8], Rejection> {
            guard let content = node?.contentBytes else { return .failure(.missing(name)) }
            return content.count == length ? .success(content) : .failure(.wrongLength(name))
        }
        do {
            let registration = try bytes(iq.child("registration"), "registration", 4).get()
            guard try bytes(iq.child("type"), "type", 1).get() == [Curve25519PublicKey.djbType] else {
                return .failure(.wrongKeyType)
            }
            guard try bytes(iq.child("identity"), "identity", 32).get() == identityKey else {
                return .failure(.identityMismatch)
            }
            let keys = iq.child("list")?.children("key") ?? []
            guard keys.count <= maximumKeys else { return .failure(.tooManyKeys) }
            for key in keys {
                _ = try bytes(key.child("id"), "key id", 3).get()
                _ = try bytes(key.child("value"), "key value", 32).get()
            }
            let skey = iq.child("skey")
            let skeyID = try bytes(skey?.child("id"), "skey id", 3).get()
            let skeyValue = try bytes(skey?.child("value"), "skey value", 32).get()
            let signature = try bytes(skey?.child("signature"), "skey signature", 64).get()
            guard let identity = try? Curve25519PublicKey(rawRepresentation: identityKey),
                XEdDSA.verify(signature: signature, message: [Curve25519PublicKey.djbType] + skeyValue, publicKey: identity)
            else { return .failure(.badSignature) }
            return .success(
                PreKeyUpload(
                    registrationID: ClientPayloadCheck.bigEndian(registration), preKeyCount: keys.count,
                    signedPreKeyID: ClientPayloadCheck.bigEndian(skeyID)))
        } catch {
            return .failure(error)
        }
    }
}
