import Foundation
import SwiftProtobuf
import Testing
import WAProto

/// Our schemas against neonize's (whatsmeow lineage) in both directions (docs/test-oracles.md §1, §6):
/// every Swift-serialized message parses under neonize with every field equal and re-serializes to the same
/// bytes, and every neonize-built message parses here the same way.
@Suite(.enabled(if: OracleSupport.venv != nil, OracleSupport.skipMessage))
struct WAProtoOracleTests {
    static let types: [any SwiftProtobuf.Message.Type] = [
        WAWebProtobufsWa6_ClientPayload.self, WAWebProtobufsWa6_HandshakeMessage.self,
        WACompanionReg_DeviceProps.self, WACompanionReg_ClientPairingProps.self,
        WACompanionReg_CompanionEphemeralIdentity.self, WACompanionReg_ProloguePayload.self,
        WACompanionReg_PrimaryEphemeralIdentity.self, WACompanionReg_PairingRequest.self,
        WACompanionReg_EncryptedPairingRequest.self,
        WACert_CertChain.self, WACert_CertChain.NoiseCertificate.Details.self, WACert_NoiseCertificate.self,
        WACert_NoiseCertificate.Details.self,
        WAAdv_ADVDeviceIdentity.self, WAAdv_ADVSignedDeviceIdentity.self, WAAdv_ADVSignedDeviceIdentityHMAC.self,
        WAAdv_ADVKeyIndexList.self, WAAdv_ADVSignedKeyIndexList.self,
        WAWebProtobufsE2E_Message.self, WACommon_MessageKey.self,
    ]

    @Test func messagesAgreeWithNeonizeInBothDirections() throws {
        let directory = try OracleSupport.makeWorkDirectory("proto-oracle")
        let corpus = try Self.swiftCorpus()
        var entries: [[String: Any]] = []
        for message in corpus {
            let bytes: [UInt8] = try message.serializedBytes()
            let json = try JSONSerialization.jsonObject(with: Data(try message.jsonString().utf8))
            entries.append(["type": type(of: message).protoMessageName, "hex": OracleSupport.hex(bytes), "json": json])
        }
        try OracleSupport.writeJSON(entries, to: directory.appendingPathComponent("swift.json"))

        let (status, output) = try OracleSupport.run(script: "proto_oracle.py", directory: directory)
        #expect(status == 0, "\(output)")

        let byName = Dictionary(uniqueKeysWithValues: Self.types.map { ($0.protoMessageName, $0) })
        let theirs = try OracleSupport.readJSONArray(directory.appendingPathComponent("python.json"))
        #expect(theirs.count >= 30)
        for entry in theirs {
            let name = entry["type"] as? String ?? "?"
            guard let type = byName[name] else {
                Issue.record("no Swift type for \(name)")
                continue
            }
            let bytes = hexBytes(entry["hex"] as? String ?? "")
            let message = try Self.parse(type, bytes)
            let reserialized: [UInt8] = try message.serializedBytes()
            #expect(reserialized == bytes, "\(name): re-serialized bytes differ")
            let ours = try JSONSerialization.jsonObject(with: Data(try message.jsonString().utf8))
            let canonicalOurs = try Self.canonical(ours)
            let canonicalTheirs = try Self.canonical(entry["json"] ?? [:])
            #expect(canonicalOurs == canonicalTheirs, "\(name): fields differ: ours \(canonicalOurs) theirs \(canonicalTheirs)")
        }
    }

    /// JSON with sorted keys, so two objects compare by content.
    private static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    private static func parse<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8]) throws -> any SwiftProtobuf.Message {
        try M(serializedBytes: bytes)
    }

    /// Built here independently of the Python corpus; only fields neonize 0.5.2 knows.
    static func swiftCorpus() throws -> [any SwiftProtobuf.Message] {
        var corpus: [any SwiftProtobuf.Message] = []

        var login = WAWebProtobufsWa6_ClientPayload()
        login.username = 4_915_112_345_678
        login.passive = true
        login.pull = true
        login.device = 12
        login.lidDbMigrated = true
        login.lc = 1
        login.sessionID = -7
        login.connectionSequenceInfo = 3
        login.shards = [0, -1]
        login.product = .whatsapp
        login.trafficAnonymization = .off
        login.accountType = .default
        login.iosAppExtension = .shareExtension
        login.fbAppID = 1
        login.fbCat = Data([1])
        login.oc = false
        login.yearClass = 2020
        login.memClass = 4
        login.paddingBytes = Data([0, 0])
        login.paaLink = false
        login.preacksCount = 5
        login.processingQueueSize = 6
        login.userAgent.platform = .web
        login.userAgent.appVersion.primary = 2
        login.userAgent.appVersion.secondary = 3000
        login.userAgent.appVersion.tertiary = 1_045_649_367
        login.userAgent.appVersion.quaternary = 4
        login.userAgent.appVersion.quinary = 5
        login.userAgent.osVersion = "0.1"
        login.userAgent.device = "Desktop"
        login.userAgent.releaseChannel = .debug
        login.userAgent.deviceType = .desktop
        login.userAgent.distributionChannel = .website
        login.userAgent.phoneID = "p"
        login.userAgent.deviceBoard = "b"
        login.userAgent.deviceExpID = "e"
        login.userAgent.deviceModelType = "m"
        login.webInfo.webSubPlatform = .darwin
        login.webInfo.refToken = "r"
        login.webInfo.version = "v"
        login.webInfo.browserVersion = "120"
        login.webInfo.webdPayload.usesParticipantInKey = true
        login.webInfo.webdPayload.documentTypes = "pdf"
        login.webInfo.webdPayload.features = Data([9])
        login.connectType = .cellularHspap
        login.connectReason = .pingReconnect
        login.dnsSource.dnsMethod = .socksProxy
        corpus.append(login)

        var props = WACompanionReg_DeviceProps()
        props.os = "Mac OS"
        props.version.primary = 10
        props.version.secondary = 15
        props.version.tertiary = 7
        props.platformType = .smartglasses
        props.requireFullSync = true
        props.historySyncConfig.fullSyncDaysLimit = 1
        props.historySyncConfig.fullSyncSizeMbLimit = 2
        props.historySyncConfig.recentSyncDaysLimit = 3
        props.historySyncConfig.supportAddOnHistorySyncMigration = true
        corpus.append(props)
        var registration = WAWebProtobufsWa6_ClientPayload()
        registration.passive = false
        registration.devicePairingData.eRegid = Data([0, 0, 0, 1])
        registration.devicePairingData.eKeytype = Data([5])
        registration.devicePairingData.deviceProps = try props.serializedData()
        corpus.append(registration)

        var hello = WAWebProtobufsWa6_HandshakeMessage()
        hello.clientHello.ephemeral = Data(repeating: 1, count: 32)
        hello.clientHello.static = Data([2])
        hello.clientHello.payload = Data([3])
        hello.clientHello.extendedCiphertext = Data([4])
        hello.clientHello.paddedBytes = Data([5])
        hello.clientHello.sendServerHelloPaddedBytes = true
        hello.clientHello.simulateXxkemFs = false
        hello.clientHello.pqMode = .ikkem2
        corpus.append(hello)
        var server = WAWebProtobufsWa6_HandshakeMessage()
        server.serverHello.ephemeral = Data(repeating: 1, count: 32)
        server.serverHello.static = Data(repeating: 2, count: 48)
        server.serverHello.payload = Data(repeating: 3, count: 180)
        server.serverHello.extendedStatic = Data([4])
        server.serverHello.paddingBytes = Data([5])
        server.serverHello.extendedCiphertext = Data([6])
        corpus.append(server)
        var finish = WAWebProtobufsWa6_HandshakeMessage()
        finish.clientFinish.static = Data(repeating: 7, count: 48)
        finish.clientFinish.payload = Data(repeating: 8, count: 400)
        finish.clientFinish.extendedCiphertext = Data([1])
        finish.clientFinish.paddedBytes = Data([2])
        finish.clientFinish.simulateXxkemFs = true
        corpus.append(finish)

        var details = WACert_CertChain.NoiseCertificate.Details()
        details.serial = 42
        details.issuerSerial = 0
        details.key = Data(repeating: 0x14, count: 32)
        details.notBefore = 0
        details.notAfter = UInt64.max
        corpus.append(details)
        var chain = WACert_CertChain()
        chain.leaf.details = try details.serializedData()
        chain.leaf.signature = Data(repeating: 0xEE, count: 64)
        chain.intermediate.details = Data()
        corpus.append(chain)
        var legacy = WACert_NoiseCertificate.Details()
        legacy.issuer = "WhatsAppLongTerm1"
        legacy.expires = 1
        legacy.subject = "s"
        legacy.key = Data([1])
        legacy.serial = 0
        corpus.append(legacy)

        var identity = WAAdv_ADVDeviceIdentity()
        identity.rawID = .max
        identity.timestamp = 1_764_000_000
        identity.keyIndex = 0
        identity.accountType = .hosted
        corpus.append(identity)
        var signed = WAAdv_ADVSignedDeviceIdentity()
        signed.details = try identity.serializedData()
        signed.accountSignature = Data(repeating: 3, count: 64)
        corpus.append(signed)
        var hmac = WAAdv_ADVSignedDeviceIdentityHMAC()
        hmac.details = try signed.serializedData()
        hmac.hmac = Data(repeating: 4, count: 32)
        corpus.append(hmac)
        var keyIndexes = WAAdv_ADVKeyIndexList()
        keyIndexes.validIndexes = [7, 0, 128]
        keyIndexes.accountType = .e2Ee
        corpus.append(keyIndexes)
        var signedIndexes = WAAdv_ADVSignedKeyIndexList()
        signedIndexes.details = try keyIndexes.serializedData()
        signedIndexes.accountSignatureKey = Data(repeating: 5, count: 32)
        corpus.append(signedIndexes)

        var pairing = WACompanionReg_ClientPairingProps()
        pairing.isChatDbLidMigrated = false
        pairing.isSyncdPureLidSession = true
        corpus.append(pairing)
        var ephemeral = WACompanionReg_CompanionEphemeralIdentity()
        ephemeral.publicKey = Data([1, 2])
        ephemeral.deviceType = .androidPhone
        ephemeral.ref = "ref"
        corpus.append(ephemeral)

        var key = WACommon_MessageKey()
        key.remoteJid = "15551234567@s.whatsapp.net"
        key.fromMe = false
        key.id = "3EB0FFFF"
        corpus.append(key)

        var text = WAWebProtobufsE2E_Message()
        text.extendedTextMessage.text = "Grüße 👋"
        text.extendedTextMessage.contextInfo.stanzaID = "ID"
        text.extendedTextMessage.contextInfo.quotedMessage.conversation = "q"
        text.extendedTextMessage.contextInfo.mentionedJid = ["1@s.whatsapp.net"]
        text.extendedTextMessage.contextInfo.ephemeralSettingTimestamp = -5
        text.extendedTextMessage.contextInfo.ephemeralSharedSecret = Data([1])
        text.extendedTextMessage.contextInfo.conversionSource = "c"
        text.extendedTextMessage.contextInfo.groupSubject = "g"
        text.extendedTextMessage.contextInfo.parentGroupJid = "1@g.us"
        text.extendedTextMessage.backgroundArgb = 0x8000_0000
        text.extendedTextMessage.jpegthumbnail = Data([0xFF, 0xD8])
        text.extendedTextMessage.mediaKeyTimestamp = 9
        text.extendedTextMessage.inviteLinkGroupTypeV2 = .sub
        text.extendedTextMessage.viewOnce = true
        corpus.append(text)
        var sent = WAWebProtobufsE2E_Message()
        sent.deviceSentMessage.destinationJid = "123@g.us"
        sent.deviceSentMessage.message = text
        sent.messageContextInfo.messageSecret = Data(repeating: 6, count: 32)
        sent.messageContextInfo.deviceListMetadata.recipientKeyIndexes = [0, 1, 2]
        sent.messageContextInfo.deviceListMetadata.senderAccountType = .hosted
        sent.messageContextInfo.messageAddOnExpiryType = .dependentOnParent
        sent.messageContextInfo.reportingTokenVersion = 1
        corpus.append(sent)
        var protocolMessage = WAWebProtobufsE2E_Message()
        protocolMessage.protocolMessage.key = key
        protocolMessage.protocolMessage.type = .lidMigrationMappingSync
        protocolMessage.protocolMessage.lidMigrationMappingSyncMessage.encodedMappingPayload = Data([1, 2, 3])
        protocolMessage.protocolMessage.ephemeralExpiration = 86_400
        protocolMessage.protocolMessage.invokerJid = "x"
        protocolMessage.protocolMessage.appStateSyncKeyRequest.keyIds = [WAWebProtobufsE2E_AppStateSyncKeyId()]
        corpus.append(protocolMessage)
        var reaction = WAWebProtobufsE2E_Message()
        reaction.reactionMessage.key = key
        reaction.reactionMessage.text = ""
        reaction.reactionMessage.groupingKey = "g"
        corpus.append(reaction)
        var skdm = WAWebProtobufsE2E_Message()
        skdm.senderKeyDistributionMessage.groupID = "123@g.us"
        skdm.senderKeyDistributionMessage.axolotlSenderKeyDistributionMessage = Data(repeating: 0x33, count: 70)
        skdm.fastRatchetKeySenderKeyDistributionMessage.groupID = "f"
        skdm.viewOnceMessage.message.conversation = "v"
        skdm.viewOnceMessageV2.message.conversation = "v2"
        skdm.viewOnceMessageV2Extension.message.conversation = "v3"
        skdm.documentWithCaptionMessage.message.conversation = "d"
        corpus.append(skdm)
        return corpus
    }
}
