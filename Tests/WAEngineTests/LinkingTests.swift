import Foundation
import SignalProtocol
import Testing
import WAProto
@testable import WABinary
@testable import WAEngine

/// A deterministic random source for tests (SplitMix64).
struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func hex(_ string: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = string.startIndex
    while index < string.endIndex {
        let next = string.index(index, offsetBy: 2)
        bytes.append(UInt8(string[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

@Suite struct QRStringTests {
    /// Expected value computed independently from docs/protocol/lower.md §5.3 (standard base64 with padding, `,`, prefix,
    /// platform "9" for DeviceProps UNKNOWN / WEB): what whatsmeow prints for the same keys.
    @Test func qrStringMatchesTheCurrentFormatForFixedKeys() {
        let code = WAQRString.make(
            ref: "2@Xyz+/=ref", noisePublicKey: Array(0..<32), identityPublicKey: Array(32..<64),
            advSecret: Array(64..<96))
        #expect(
            code
                == "https://wa.me/settings/linked_devices#2@Xyz+/=ref,AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=,9"
        )
    }

    @Test func platformIdsFollowTheCompanionWebClientTable() {
        #expect(WAQRPlatform.chrome.rawValue == "1")
        #expect(WAQRPlatform.edge.rawValue == "2")
        #expect(WAQRPlatform.macOS.rawValue == "c")
        #expect(WAQRPlatform.android.rawValue == "e")
    }
}

@Suite struct QRImageTests {
    static let text =
        "https://wa.me/settings/linked_devices#2@abcdefghijklmnopqrstuvwxyz0123456789,AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=,QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=,9"

    /// CRC-32 (PNG/ISO 3309), written here independently of zlib.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func readU32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    @Test func pngHasSignatureChunksWithValidCRCsAndDecodesToTheSymbol() throws {
        let scale = 6
        let modules = try WAQRImage.modules(for: Self.text)
        let png = try WAQRImage.png(modules: modules, scale: scale)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var chunks: [(String, [UInt8])] = []
        while offset < png.count {
            let length = Int(Self.readU32(png, offset))
            let typeAndData = Array(png[offset + 4..<offset + 8 + length])
            #expect(Self.readU32(png, offset + 8 + length) == Self.crc32(typeAndData))
            chunks.append((String(decoding: typeAndData.prefix(4), as: UTF8.self), Array(typeAndData.dropFirst(4))))
            offset += 12 + length
        }
        #expect(offset == png.count)
        #expect(chunks.map(\.0) == ["IHDR", "IDAT", "IEND"])
        let header = chunks[0].1
        let size = (modules.count + 2 * WAQRImage.quietZone) * scale
        #expect(Int(Self.readU32(header, 0)) == size)
        #expect(Int(Self.readU32(header, 4)) == size)
        #expect(Array(header[8...]) == [8, 0, 0, 0, 0])
        let raw = try Zlib.inflate(chunks[1].1[...], limit: 10_000_000)
        #expect(raw.count == (size + 1) * size)
        // Rows are filter 0 (None) or 2 (Up: each byte adds the one above); undone, every pixel is its
        // module's colour and the quiet zone is white.
        var pixels: [[UInt8]] = []
        for y in 0..<size {
            let filter = raw[y * (size + 1)]
            let line = Array(raw[(y * (size + 1) + 1)..<((y + 1) * (size + 1))])
            #expect(filter == 0 || (filter == 2 && y > 0))
            pixels.append(filter == 2 ? zip(line, pixels[y - 1]).map { $0 &+ $1 } : line)
        }
        for y in 0..<size {
            for x in 0..<size {
                let row = y / scale - WAQRImage.quietZone
                let column = x / scale - WAQRImage.quietZone
                let inside = row >= 0 && row < modules.count && column >= 0 && column < modules.count
                #expect(pixels[y][x] == (inside && modules[row][column] ? 0 : 255))
            }
        }
    }

    @Test func zbarimgReadsTheQRTextBackWhenInstalled() throws {
        let zbar = "/usr/bin/zbarimg"
        guard FileManager.default.isExecutableFile(atPath: zbar) else {
            print("NOTICE: zbarimg not installed; the PNG is not decoded by a QR reader in this run")
            return
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png")
        try Data(try WAQRImage.png(for: Self.text)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbar)
        process.arguments = ["--raw", "-q", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.trimmingCharacters(in: .newlines) == Self.text)
    }
}

/// A primary device that signs our identity as the phone does (docs/protocol/lower.md §5.6), built from the spec.
struct FakePrimary {
    var random = SeededRandom(seed: 42)
    let account: IdentityKeyPair

    init() {
        var random = SeededRandom(seed: 7)
        account = KeyHelper.generateIdentityKeyPair(using: &random)
    }

    /// The `<device-identity>` bytes of pair-success for a companion with `companionIdentity`.
    func deviceIdentity(
        companionIdentity: [UInt8], advSecret: [UInt8], keyIndex: UInt32 = 7, hosted: Bool = false,
        tamperSignature: Bool = false
    ) throws -> [UInt8] {
        var device = WAAdv_ADVDeviceIdentity()
        device.rawID = 1234
        device.timestamp = 1_790_000_000
        device.keyIndex = keyIndex
        device.deviceType = hosted ? .hosted : .e2Ee
        let details: [UInt8] = try device.serializedBytes()
        let prefix: [UInt8] = hosted ? [6, 5] : [6, 0]
        var signature = XEdDSA.sign(
            message: prefix + details + companionIdentity, privateKey: account.privateKey, random: Array(repeating: 1, count: 64))
        if tamperSignature { signature[0] ^= 1 }
        var signed = WAAdv_ADVSignedDeviceIdentity()
        signed.details = Data(details)
        signed.accountSignatureKey = Data(account.publicKey.rawRepresentation)
        signed.accountSignature = Data(signature)
        let signedBytes: [UInt8] = try signed.serializedBytes()
        var container = WAAdv_ADVSignedDeviceIdentityHMAC()
        container.details = Data(signedBytes)
        if hosted { container.accountType = .hosted }
        let hmacInput = (hosted ? [6, 5] : []) + signedBytes
        container.hmac = Data(hmacSHA256(key: advSecret, hmacInput))
        return try container.serializedBytes()
    }
}

import Crypto

func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
}

@Suite struct ADVVerificationTests {
    let primary = FakePrimary()
    let companion: IdentityKeyPair = {
        var random = SeededRandom(seed: 9)
        return KeyHelper.generateIdentityKeyPair(using: &random)
    }()
    let advSecret = Array(repeating: UInt8(0x42), count: 32)

    @Test func goodIdentityVerifiesAndTheDeviceSignatureCoversDetailsOwnKeyAndAccountKey() throws {
        let blob = try primary.deviceIdentity(companionIdentity: companion.publicKey.rawRepresentation, advSecret: advSecret)
        let linked = try ADVVerification.verify(
            deviceIdentity: blob, advSecret: advSecret, identity: companion, signingRandom: Array(repeating: 2, count: 64))
        #expect(linked.keyIndex == 7)
        #expect(linked.accountSignatureKey == primary.account.publicKey.rawRepresentation)
        let stored = try WAAdv_ADVSignedDeviceIdentity(serializedBytes: linked.signedIdentity)
        #expect(stored.hasAccountSignatureKey)
        let message = [6, 1] + [UInt8](stored.details) + companion.publicKey.rawRepresentation
            + primary.account.publicKey.rawRepresentation
        #expect(XEdDSA.verify(signature: [UInt8](stored.deviceSignature), message: message, publicKey: companion.publicKey))
        let reply = try WAAdv_ADVSignedDeviceIdentity(serializedBytes: linked.replyIdentity)
        #expect(!reply.hasAccountSignatureKey)
        #expect(reply.deviceSignature == stored.deviceSignature)
        #expect(reply.accountSignature == stored.accountSignature)
    }

    @Test func pairDeviceSignReplyHasTheExactStanzaShape() throws {
        let blob = try primary.deviceIdentity(companionIdentity: companion.publicKey.rawRepresentation, advSecret: advSecret)
        let linked = try ADVVerification.verify(
            deviceIdentity: blob, advSecret: advSecret, identity: companion, signingRandom: Array(repeating: 2, count: 64))
        let node = ADVVerification.replyNode(id: "ps-1", identity: linked)
        #expect(node.tag == "iq")
        #expect(node.jid("to") == JID.serverJID)
        #expect(node.string("type") == "result")
        #expect(node.string("id") == "ps-1")
        #expect(node.attributes.count == 3)
        let identity = try #require(node.child(path: "pair-device-sign", "device-identity"))
        #expect(identity.string("key-index") == "7")
        #expect(identity.contentBytes == linked.replyIdentity)
        // Round trip through the binary codec.
        #expect(try BinaryFrame.decode(try BinaryFrame.encode(node)) == node)
    }

    @Test func hostedAccountUsesThePrefixedHMACAndAccountSignature() throws {
        let blob = try primary.deviceIdentity(
            companionIdentity: companion.publicKey.rawRepresentation, advSecret: advSecret, hosted: true)
        #expect(
            throws: Never.self,
            performing: {
                _ = try ADVVerification.verify(
                    deviceIdentity: blob, advSecret: advSecret, identity: companion,
                    signingRandom: Array(repeating: 2, count: 64))
            })
    }

    @Test func wrongADVSecretIsAnHMACMismatch() throws {
        let blob = try primary.deviceIdentity(companionIdentity: companion.publicKey.rawRepresentation, advSecret: advSecret)
        #expect(throws: PairingError.hmacMismatch) {
            _ = try ADVVerification.verify(
                deviceIdentity: blob, advSecret: Array(repeating: 0x43, count: 32), identity: companion,
                signingRandom: Array(repeating: 2, count: 64))
        }
        #expect(ADVVerification.errorNode(id: "x", error: .hmacMismatch).child("error")?.string("text") == "hmac-mismatch")
        #expect(ADVVerification.errorNode(id: "x", error: .hmacMismatch).child("error")?.string("code") == "401")
    }

    @Test func badAccountSignatureIsASignatureMismatch() throws {
        let blob = try primary.deviceIdentity(
            companionIdentity: companion.publicKey.rawRepresentation, advSecret: advSecret, tamperSignature: true)
        #expect(throws: PairingError.signatureMismatch) {
            _ = try ADVVerification.verify(
                deviceIdentity: blob, advSecret: advSecret, identity: companion, signingRandom: Array(repeating: 2, count: 64))
        }
    }

    @Test func identitySignedForAnotherCompanionIsASignatureMismatch() throws {
        let blob = try primary.deviceIdentity(companionIdentity: Array(repeating: 9, count: 32), advSecret: advSecret)
        #expect(throws: PairingError.signatureMismatch) {
            _ = try ADVVerification.verify(
                deviceIdentity: blob, advSecret: advSecret, identity: companion, signingRandom: Array(repeating: 2, count: 64))
        }
    }

    @Test func garbageIdentityIsMalformedNotATrap() {
        #expect(throws: PairingError.malformedIdentity) {
            _ = try ADVVerification.verify(
                deviceIdentity: [0xFF, 0xFF, 0xFF], advSecret: advSecret, identity: companion,
                signingRandom: Array(repeating: 2, count: 64))
        }
    }
}

@Suite struct PairingCodeCryptoTests {
    @Test func codeUsesFiveBitsPerCharacterBigEndianOverTheAlphabet() {
        #expect(PairingCodeCrypto.code(from: [0, 0, 0, 0, 0]) == "11111111")
        #expect(PairingCodeCrypto.code(from: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == "ZZZZZZZZ")
        #expect(PairingCodeCrypto.code(from: [0x01, 0x23, 0x45, 0x67, 0x89]) == "15JMBSWA")
    }

    /// Vectors computed with Python's hashlib/cryptography from docs/protocol/lower.md §5.7.
    @Test func codeKeyIsPBKDF2SHA256With131072Rounds() {
        #expect(
            PairingCodeCrypto.codeKey(code: "ABCD1234", salt: Array(0..<32))
                == hex("b04d4d0e43ffa6d1a3b2226d4ee58ba2900a470c09bcf39fb5257512a55c08bc"))
    }

    @Test func wrappedKeyIsSaltIVAndAESCTRCiphertext() throws {
        let wrapped = try PairingCodeCrypto.wrap(
            publicKey: Array(200..<232), code: "ABCD1234", salt: Array(0..<32), iv: Array(100..<116))
        #expect(wrapped.count == 80)
        #expect(Array(wrapped[0..<48]) == Array(0..<32) + Array(100..<116))
        #expect(Array(wrapped[48...]) == hex("3330bdc270434ffd578c83945def8293ab794b8601874455495d58d34140a83a"))
        #expect(try PairingCodeCrypto.unwrap(wrapped, code: "ABCD1234") == Array(200..<232))
    }

    @Test func companionFinishBundleAndADVSecretMatchTheVector() throws {
        let wrapped = hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f6465666768696a6b6c6d6e6f707172739f4876b86c30dbb583e056c811af545bb39e1fc248786b0274ae37a8e371cabb"
        )
        let finish = try PairingCodeCrypto.finish(
            code: "ABCD1234", wrappedPrimaryEphemeral: wrapped,
            primaryIdentityPublicKey: hex("244fe3b963e899dd295baffce248d3530f3a9a7479ba063002680ebfe7adad49"),
            companionEphemeral: try Curve25519PrivateKey(rawRepresentation: Array(1...32)),
            companionIdentity: IdentityKeyPair(privateKey: try Curve25519PrivateKey(rawRepresentation: Array(33...64))),
            advSecretRandom: Array(repeating: 7, count: 32), keyBundleSalt: Array(repeating: 8, count: 32),
            keyBundleNonce: Array(repeating: 9, count: 12))
        #expect(finish.wrappedKeyBundle.count == 156)
        #expect(
            finish.wrappedKeyBundle
                == hex(
                    "0808080808080808080808080808080808080808080808080808080808080808090909090909090909090909f5ee3a7fdaaa8a53d63f390f69c8dabfceb85f10ec575df6151faa8f65bc2b4b05337c24bf8d9768b3287da8177ee0568f752f590c7c714521f58ce497b21f348a74ce43b23bfb76dc0296f208cde95799b19fd24caef54390b69460bc1ae6db64500d29c6e8f54ac436cbab232485da"
                ))
        #expect(finish.advSecret == hex("a30632c1a6cdc2b4abb252742b4c4f95d591f12ad06a96e675702392ba9bb28a"))
    }

    @Test func shortWrappedKeyIsRejected() {
        #expect(throws: PairingCodeError.malformed) { _ = try PairingCodeCrypto.unwrap(Array(repeating: 0, count: 79), code: "ABCD1234") }
    }
}
