#!/usr/bin/env python3
"""Protobuf oracle: our WAProto schemas against the independent schemas shipped in neonize (whatsmeow lineage).

Usage: proto_oracle.py <dir>
  Reads  <dir>/swift.json   [{"type": "WAWebProtobufsWa6.ClientPayload", "hex": ..., "json": {...}}]
         messages serialized by our Swift code; each must parse with neonize's class, give the same
         JSON (every field equal, nothing unknown) and re-serialize to the same bytes.
  Writes <dir>/python.json  the same shape, for messages built here with neonize's classes, which the
         Swift side parses with our types (the reverse direction).
Exit status 0 when every check passes; failures are printed one per line. See docs/test-oracles.md §1, §6.
"""
import json
import pathlib
import sys

from google.protobuf import json_format

from neonize.proto.waAdv import WAAdv_pb2 as adv
from neonize.proto.waCert import WACert_pb2 as cert
from neonize.proto.waCommon import WACommon_pb2 as common
from neonize.proto.waCompanionReg import WAWebProtobufsCompanionReg_pb2 as reg
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as e2e
from neonize.proto.waWa6 import WAWebProtobufsWa6_pb2 as wa6

# Our package names (proto/wa/*.proto) → neonize's module. Only CompanionReg differs in name.
MODULES = {
    "WAWebProtobufsWa6": wa6,
    "WACert": cert,
    "WAAdv": adv,
    "WACompanionReg": reg,
    "WAWebProtobufsE2E": e2e,
    "WACommon": common,
}


def neonize_class(full_name: str):
    package, _, path = full_name.partition(".")
    obj = MODULES[package]
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def to_dict(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=False)


def check_swift(entries: list) -> list[str]:
    failures = []
    for number, entry in enumerate(entries):
        label = f"swift[{number}] {entry['type']}"
        raw = bytes.fromhex(entry["hex"])
        message = neonize_class(entry["type"])()
        try:
            message.ParseFromString(raw)
        except Exception as error:  # noqa: BLE001 - any parse failure is a finding
            failures.append(f"{label}: neonize cannot parse: {error}")
            continue
        theirs = to_dict(message)
        if theirs != entry["json"]:
            failures.append(f"{label}: fields differ\n  neonize: {theirs}\n  swift:   {entry['json']}")
        again = message.SerializeToString(deterministic=True)
        if again != raw:
            failures.append(f"{label}: re-serialized bytes differ\n  neonize: {again.hex()}\n  swift:   {raw.hex()}")
    return failures


def python_corpus() -> list:
    """Messages built with neonize's classes, using only fields our subset declares."""
    out = []

    login = wa6.ClientPayload(
        username=15551234567, passive=True, pull=True, device=3, lidDbMigrated=True, lc=1,
        connectType=wa6.ClientPayload.WIFI_UNKNOWN, connectReason=wa6.ClientPayload.USER_ACTIVATED,
        sessionID=-12345, shards=[1, 2, 300], connectAttemptCount=2, pushName="Müller",
        userAgent=wa6.ClientPayload.UserAgent(
            platform=wa6.ClientPayload.UserAgent.WEB,
            appVersion=wa6.ClientPayload.UserAgent.AppVersion(primary=2, secondary=3000, tertiary=1045649367),
            mcc="000", mnc="000", osVersion="0.1", manufacturer="", device="Desktop", osBuildNumber="0.1",
            releaseChannel=wa6.ClientPayload.UserAgent.RELEASE, localeLanguageIso6391="en",
            localeCountryIso31661Alpha2="US"),
        webInfo=wa6.ClientPayload.WebInfo(webSubPlatform=wa6.ClientPayload.WebInfo.WEB_BROWSER, browser="Chrome"),
        dnsSource=wa6.ClientPayload.DNSSource(dnsMethod=wa6.ClientPayload.DNSSource.SYSTEM, appCached=False),
        interopData=wa6.ClientPayload.InteropData(accountID=7, token=b"\x01\x02", enableReadReceipts=True),
        pairedPeripherals=["a", "b"], testIsolationID=b"\xff")
    out.append(login)

    props = reg.DeviceProps(
        os="crm-whatsapp", version=reg.DeviceProps.AppVersion(primary=0, secondary=1, tertiary=0),
        platformType=reg.DeviceProps.CHROME, requireFullSync=False,
        historySyncConfig=reg.DeviceProps.HistorySyncConfig(
            storageQuotaMb=10240, inlineInitialPayloadInE2EeMsg=True, supportCallLogHistory=False,
            supportBotUserAgentChatHistory=True, supportCagReactionsAndPolls=True, supportBizHostedMsg=True,
            supportRecentSyncChunkMessageCountTuning=True, supportHostedGroupMsg=True,
            supportFbidBotChatHistory=True, supportMessageAssociation=True))
    out.append(props)
    registration = wa6.ClientPayload(
        passive=False, pull=False,
        devicePairingData=wa6.ClientPayload.DevicePairingRegistrationData(
            eRegid=b"\x00\x00\x30\x39", eKeytype=b"\x05", eIdent=bytes(range(32)), eSkeyID=b"\x00\x00\x01",
            eSkeyVal=bytes(range(32, 64)), eSkeySig=bytes(64), buildHash=bytes(range(16)),
            deviceProps=props.SerializeToString()))
    out.append(registration)

    out.append(wa6.HandshakeMessage(clientHello=wa6.HandshakeMessage.ClientHello(ephemeral=bytes(range(32)))))
    out.append(wa6.HandshakeMessage(serverHello=wa6.HandshakeMessage.ServerHello(
        ephemeral=bytes(32), static=bytes(48), payload=bytes(200))))
    out.append(wa6.HandshakeMessage(clientFinish=wa6.HandshakeMessage.ClientFinish(static=bytes(48), payload=b"x" * 300)))
    out.append(wa6.HandshakeMessage(clientHello=wa6.HandshakeMessage.ClientHello(
        ephemeral=b"e", useExtended=True, pqMode=wa6.HandshakeMessage.XXKEM_EPH, extendedEphemeral=b"k")))

    details = cert.CertChain.NoiseCertificate.Details(
        serial=7, issuerSerial=0, key=bytes(range(32)), notBefore=1700000000, notAfter=4102444800)
    out.append(details)
    out.append(cert.CertChain(
        leaf=cert.CertChain.NoiseCertificate(details=details.SerializeToString(), signature=bytes(64)),
        intermediate=cert.CertChain.NoiseCertificate(details=b"\x08\x01", signature=b"\x01" * 64)))
    out.append(cert.NoiseCertificate(details=b"d", signature=b"s"))
    out.append(cert.NoiseCertificate.Details(serial=1, issuer="WhatsAppLongTerm1", expires=2, subject="x", key=b"k"))

    identity = adv.ADVDeviceIdentity(rawID=123, timestamp=1764000000, keyIndex=4, accountType=adv.E2EE,
                                     deviceType=adv.HOSTED)
    out.append(identity)
    signed = adv.ADVSignedDeviceIdentity(details=identity.SerializeToString(), accountSignatureKey=bytes(32),
                                         accountSignature=bytes(64), deviceSignature=b"\x02" * 64)
    out.append(signed)
    out.append(adv.ADVSignedDeviceIdentityHMAC(details=signed.SerializeToString(), HMAC=bytes(32),
                                               accountType=adv.HOSTED))
    key_list = adv.ADVKeyIndexList(rawID=9, timestamp=5, currentIndex=3, validIndexes=[0, 1, 300],
                                   accountType=adv.E2EE)
    out.append(key_list)
    out.append(adv.ADVSignedKeyIndexList(details=key_list.SerializeToString(), accountSignature=bytes(64),
                                         accountSignatureKey=bytes(32)))

    out.append(reg.ClientPairingProps(isChatDbLidMigrated=True, isSyncdPureLidSession=False))
    out.append(reg.CompanionEphemeralIdentity(publicKey=b"p", deviceType=reg.DeviceProps.EDGE, ref="2@ref"))
    out.append(reg.ProloguePayload(companionEphemeralIdentity=b"c", commitment=reg.CompanionCommitment(hash=b"h")))
    out.append(reg.PrimaryEphemeralIdentity(publicKey=b"p", nonce=b"n"))
    out.append(reg.PairingRequest(companionPublicKey=b"a", companionIdentityKey=b"b", advSecret=b"c"))
    out.append(reg.EncryptedPairingRequest(encryptedPayload=b"e", IV=b"i"))

    key = common.MessageKey(remoteJID="123@g.us", fromMe=True, ID="3EB0ABCDEF", participant="1@s.whatsapp.net")
    out.append(e2e.Message(conversation="hello"))
    text = e2e.Message(extendedTextMessage=e2e.ExtendedTextMessage(
        text="see https://example.org", matchedText="https://example.org", title="t", description="d",
        previewType=e2e.ExtendedTextMessage.NONE, textArgb=0xFFFFFFFF, font=e2e.ExtendedTextMessage.SYSTEM_BOLD,
        contextInfo=e2e.ContextInfo(stanzaID="ABC", participant="1@s.whatsapp.net", remoteJID="123@g.us",
                                    quotedMessage=e2e.Message(conversation="quoted"),
                                    mentionedJID=["1@s.whatsapp.net", "2@s.whatsapp.net"], isForwarded=True,
                                    forwardingScore=3, expiration=604800, placeholderKey=key)))
    out.append(text)
    out.append(e2e.Message(
        deviceSentMessage=e2e.DeviceSentMessage(destinationJID="15551234567@s.whatsapp.net", message=text, phash="2:x"),
        messageContextInfo=e2e.MessageContextInfo(
            messageSecret=bytes(32), deviceListMetadataVersion=2, paddingBytes=b"\x00",
            deviceListMetadata=e2e.DeviceListMetadata(
                senderKeyHash=b"s", senderTimestamp=1764000000, senderKeyIndexes=[1, 2],
                senderAccountType=adv.E2EE, receiverAccountType=adv.HOSTED, recipientKeyHash=b"r",
                recipientTimestamp=9, recipientKeyIndexes=[5]))))
    out.append(e2e.Message(senderKeyDistributionMessage=e2e.SenderKeyDistributionMessage(
        groupID="123@g.us", axolotlSenderKeyDistributionMessage=bytes(range(60)))))
    out.append(e2e.Message(reactionMessage=e2e.ReactionMessage(key=key, text="👍", senderTimestampMS=1764000000123)))
    out.append(e2e.Message(protocolMessage=e2e.ProtocolMessage(
        key=key, type=e2e.ProtocolMessage.REVOKE, timestampMS=-1)))
    out.append(e2e.Message(protocolMessage=e2e.ProtocolMessage(
        type=e2e.ProtocolMessage.HISTORY_SYNC_NOTIFICATION,
        historySyncNotification=e2e.HistorySyncNotification(
            fileSHA256=b"a", fileLength=123, mediaKey=b"m", fileEncSHA256=b"e", directPath="/v/t62",
            syncType=e2e.INITIAL_BOOTSTRAP, chunkOrder=1, progress=50, originalMessageID="X"))))
    out.append(e2e.Message(protocolMessage=e2e.ProtocolMessage(
        type=e2e.ProtocolMessage.APP_STATE_SYNC_KEY_SHARE,
        appStateSyncKeyShare=e2e.AppStateSyncKeyShare(keys=[e2e.AppStateSyncKey(
            keyID=e2e.AppStateSyncKeyId(keyID=b"\x00\x01"),
            keyData=e2e.AppStateSyncKeyData(keyData=bytes(32), timestamp=1, fingerprint=e2e.AppStateSyncKeyFingerprint(
                rawID=1, currentIndex=2, deviceIndexes=[0, 3])))]))))
    out.append(e2e.Message(ephemeralMessage=e2e.FutureProofMessage(message=e2e.Message(conversation="x")),
                           editedMessage=e2e.FutureProofMessage(message=e2e.Message(
                               protocolMessage=e2e.ProtocolMessage(type=e2e.ProtocolMessage.MESSAGE_EDIT,
                                                                   editedMessage=e2e.Message(conversation="y"))))))

    entries = []
    for message in out:
        entries.append({
            "type": message.DESCRIPTOR.full_name.replace("WAWebProtobufsCompanionReg.", "WACompanionReg."),
            "hex": message.SerializeToString(deterministic=True).hex(),
            "json": to_dict(message),
        })
    return entries


def main() -> int:
    directory = pathlib.Path(sys.argv[1])
    swift = json.loads((directory / "swift.json").read_text())
    failures = check_swift(swift)
    python = python_corpus()
    (directory / "python.json").write_text(json.dumps(python, indent=1, ensure_ascii=False))
    for failure in failures:
        print("FAIL", failure)
    print(f"proto oracle: {len(swift) - len(failures)}/{len(swift)} Swift messages equal under neonize; "
          f"wrote {len(python)} neonize messages")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
