import Foundation
import SwiftProtobuf
import Testing
import WAProto

/// Round trips and golden bytes for the generated WAProto messages (docs/protocol/lower.md §1.3, §2.4, §3).
@Suite struct WAProtoRoundTripTests {
    /// The ClientHello of docs/protocol/lower.md §1.3: `12 22 0a 20` ‖ 32-byte ephemeral key.
    @Test func clientHelloMatchesSpecVector() throws {
        let ephemeral = [UInt8](0..<32)
        var message = WAWebProtobufsWa6_HandshakeMessage()
        message.clientHello.ephemeral = Data(ephemeral)
        let bytes: [UInt8] = try message.serializedBytes()
        #expect(bytes == [0x12, 0x22, 0x0A, 0x20] + ephemeral)
        let parsed = try WAWebProtobufsWa6_HandshakeMessage(serializedBytes: bytes)
        #expect(parsed == message)
        #expect(parsed.hasClientHello && !parsed.hasServerHello && !parsed.hasClientFinish)
    }

    /// The login payload from docs/test-oracles.md §1(b), built by neonize (whatsmeow lineage), byte for byte.
    @Test func loginClientPayloadMatchesNeonizeBytes() throws {
        var payload = WAWebProtobufsWa6_ClientPayload()
        payload.username = 15_551_234_567
        payload.passive = true
        payload.userAgent.platform = .web
        payload.userAgent.appVersion.primary = 2
        payload.userAgent.appVersion.secondary = 3000
        payload.userAgent.appVersion.tertiary = 1_015_901_307
        payload.userAgent.mcc = "000"
        payload.userAgent.mnc = "000"
        payload.userAgent.osVersion = "0.1"
        payload.userAgent.manufacturer = ""
        payload.userAgent.device = "Desktop"
        payload.userAgent.osBuildNumber = "0.1"
        payload.userAgent.releaseChannel = .release
        payload.userAgent.localeLanguageIso6391 = "en"
        payload.userAgent.localeCountryIso31661Alpha2 = "US"
        payload.webInfo.webSubPlatform = .webBrowser
        payload.connectType = .wifiUnknown
        payload.connectReason = .userActivated
        payload.device = 3
        payload.pull = true
        let bytes: [UInt8] = try payload.serializedBytes()
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        #expect(
            hex == "088784b4f73918012a38080e120b080210b81718fbd8b5e4031a0330303022033030302a03302e3132003a07"
                + "4465736b746f704203302e3150005a02656e620255533202200060016801900103880201")
    }

    @Test func registrationPayloadRoundTripsWithDeviceProps() throws {
        var props = WACompanionReg_DeviceProps()
        props.os = "crm-whatsapp"
        props.version.primary = 0
        props.version.secondary = 1
        props.platformType = .chrome
        props.requireFullSync = false
        props.historySyncConfig.storageQuotaMb = 10240
        props.historySyncConfig.inlineInitialPayloadInE2EeMsg = true
        props.historySyncConfig.supportGroupHistory = true
        props.historySyncConfig.thumbnailSyncDaysLimit = 60

        var payload = WAWebProtobufsWa6_ClientPayload()
        payload.passive = false
        payload.pull = false
        payload.devicePairingData.eRegid = Data([0x12, 0x34, 0x56, 0x78])
        payload.devicePairingData.eKeytype = Data([0x05])
        payload.devicePairingData.eIdent = Data(repeating: 0xAA, count: 32)
        payload.devicePairingData.eSkeyID = Data([0, 0, 1])
        payload.devicePairingData.eSkeyVal = Data(repeating: 0xBB, count: 32)
        payload.devicePairingData.eSkeySig = Data(repeating: 0xCC, count: 64)
        payload.devicePairingData.buildHash = Data(repeating: 0xDD, count: 16)
        payload.devicePairingData.deviceProps = try props.serializedData()

        let bytes: [UInt8] = try payload.serializedBytes()
        let parsed = try WAWebProtobufsWa6_ClientPayload(serializedBytes: bytes)
        #expect(parsed == payload)
        // proto2 presence: an explicit `false` is sent (whatsmeow sends `passive: false` as `18 00`).
        #expect(parsed.hasPassive && parsed.passive == false)
        #expect(bytes.starts(with: [0x18, 0x00]))
        #expect(try WACompanionReg_DeviceProps(serializedBytes: parsed.devicePairingData.deviceProps) == props)
    }

    @Test func certChainRoundTripsWithNestedDetails() throws {
        var details = WACert_CertChain.NoiseCertificate.Details()
        details.serial = 7
        details.issuerSerial = 0
        details.key = Data(repeating: 0x11, count: 32)
        details.notBefore = 1_700_000_000
        details.notAfter = 1_900_000_000
        var chain = WACert_CertChain()
        chain.intermediate.details = try details.serializedData()
        chain.intermediate.signature = Data(repeating: 0x22, count: 64)
        chain.leaf.details = Data([0x08, 0x01])
        chain.leaf.signature = Data(repeating: 0x33, count: 64)
        let bytes: [UInt8] = try chain.serializedBytes()
        let parsed = try WACert_CertChain(serializedBytes: bytes)
        #expect(parsed == chain)
        #expect(try WACert_CertChain.NoiseCertificate.Details(serializedBytes: parsed.intermediate.details) == details)
    }

    @Test func advMessagesRoundTrip() throws {
        var identity = WAAdv_ADVDeviceIdentity()
        identity.rawID = 123
        identity.timestamp = 1_764_000_000
        identity.keyIndex = 4
        identity.accountType = .e2Ee
        identity.deviceType = .hosted
        var signed = WAAdv_ADVSignedDeviceIdentity()
        signed.details = try identity.serializedData()
        signed.accountSignatureKey = Data(repeating: 1, count: 32)
        signed.accountSignature = Data(repeating: 2, count: 64)
        signed.deviceSignature = Data(repeating: 3, count: 64)
        var hmac = WAAdv_ADVSignedDeviceIdentityHMAC()
        hmac.details = try signed.serializedData()
        hmac.hmac = Data(repeating: 4, count: 32)
        hmac.accountType = .hosted
        var keyIndexList = WAAdv_ADVKeyIndexList()
        keyIndexList.rawID = 123
        keyIndexList.validIndexes = [0, 4, 300]

        let hmacBytes: [UInt8] = try hmac.serializedBytes()
        #expect(try WAAdv_ADVSignedDeviceIdentityHMAC(serializedBytes: hmacBytes) == hmac)
        let identityBytes: [UInt8] = try identity.serializedBytes()
        #expect(try WAAdv_ADVDeviceIdentity(serializedBytes: identityBytes) == identity)
        // validIndexes is packed: field 4, wire type 2 (0x22).
        let listBytes: [UInt8] = try keyIndexList.serializedBytes()
        #expect(listBytes == [0x08, 0x7B, 0x22, 0x04, 0x00, 0x04, 0xAC, 0x02])
    }

    @Test func messageSubsetRoundTripsAndKeepsUnknownFields() throws {
        var message = WAWebProtobufsE2E_Message()
        message.deviceSentMessage.destinationJid = "15551234567@s.whatsapp.net"
        message.deviceSentMessage.message.extendedTextMessage.text = "hello"
        message.deviceSentMessage.message.extendedTextMessage.contextInfo.stanzaID = "3EB0ABC"
        message.deviceSentMessage.message.extendedTextMessage.contextInfo.mentionedJid = ["1@s.whatsapp.net"]
        message.messageContextInfo.messageSecret = Data(repeating: 9, count: 32)
        message.messageContextInfo.deviceListMetadata.senderKeyIndexes = [1, 2]
        message.reactionMessage.key.remoteJid = "123@g.us"
        message.reactionMessage.key.fromMe = true
        message.reactionMessage.text = "👍"
        message.protocolMessage.type = .revoke
        message.senderKeyDistributionMessage.groupID = "123@g.us"
        let bytes: [UInt8] = try message.serializedBytes()
        #expect(try WAWebProtobufsE2E_Message(serializedBytes: bytes) == message)

        // Message{conversation:"hello"} (docs/test-oracles.md §1(b)) plus field 3 (imageMessage, not in our
        // subset) survives a parse and re-serialization as an unknown field.
        let withUnknown: [UInt8] = [0x0A, 0x05] + Array("hello".utf8) + [0x1A, 0x02, 0x08, 0x01]
        let parsed = try WAWebProtobufsE2E_Message(serializedBytes: withUnknown)
        #expect(parsed.conversation == "hello")
        let reserialized: [UInt8] = try parsed.serializedBytes()
        #expect(reserialized == withUnknown)
    }

    @Test func truncatedProtobufIsRejected() {
        #expect(throws: (any Error).self) {
            _ = try WAWebProtobufsWa6_HandshakeMessage(serializedBytes: [0x12, 0x22, 0x0A, 0x20, 0x00] as [UInt8])
        }
    }
}
