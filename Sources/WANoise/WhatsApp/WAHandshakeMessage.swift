#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftProtobuf
import WAProto

/// The `HandshakeMessage` protobuf carried in handshake frames (docs/protocol/lower.md §2.4), to and from
/// ``WAClientHello``, ``WAServerHello`` and ``WAClientFinish``.
///
/// Only the classical fields are read and written (`ephemeral`, `static`, `payload`): neither whatsmeow nor
/// Baileys uses the extended or post-quantum ones.
public enum WAHandshakeMessage {
    typealias Proto = WAWebProtobufsWa6_HandshakeMessage

    /// `HandshakeMessage{clientHello{ephemeral}}`.
    public static func serialize(_ hello: WAClientHello) -> [UInt8] {
        var inner = Proto.ClientHello()
        if let ephemeral = hello.ephemeral { inner.ephemeral = Data(ephemeral) }
        var message = Proto()
        message.clientHello = inner
        return serialize(message)
    }

    /// `HandshakeMessage{serverHello{ephemeral, static, payload}}`.
    public static func serialize(_ hello: WAServerHello) -> [UInt8] {
        var inner = Proto.ServerHello()
        if let ephemeral = hello.ephemeral { inner.ephemeral = Data(ephemeral) }
        if let encryptedStatic = hello.encryptedStatic { inner.static = Data(encryptedStatic) }
        if let payload = hello.payload { inner.payload = Data(payload) }
        var message = Proto()
        message.serverHello = inner
        return serialize(message)
    }

    /// `HandshakeMessage{clientFinish{static, payload}}`.
    public static func serialize(_ finish: WAClientFinish) -> [UInt8] {
        var inner = Proto.ClientFinish()
        if let encryptedStatic = finish.encryptedStatic { inner.static = Data(encryptedStatic) }
        if let payload = finish.payload { inner.payload = Data(payload) }
        var message = Proto()
        message.clientFinish = inner
        return serialize(message)
    }

    /// The ClientHello in a handshake frame (the server's first read).
    public static func parseClientHello(_ bytes: [UInt8]) throws(WAHandshakeError) -> WAClientHello {
        let message = try parse(bytes)
        guard message.hasClientHello else { throw .malformedHandshakeMessage }
        let hello = message.clientHello
        return WAClientHello(ephemeral: hello.hasEphemeral ? Array(hello.ephemeral) : nil)
    }

    /// The ServerHello in a handshake frame (the client's first read).
    public static func parseServerHello(_ bytes: [UInt8]) throws(WAHandshakeError) -> WAServerHello {
        let message = try parse(bytes)
        guard message.hasServerHello else { throw .malformedHandshakeMessage }
        let hello = message.serverHello
        return WAServerHello(
            ephemeral: hello.hasEphemeral ? Array(hello.ephemeral) : nil,
            encryptedStatic: hello.hasStatic ? Array(hello.static) : nil,
            payload: hello.hasPayload ? Array(hello.payload) : nil)
    }

    /// The ClientFinish in a handshake frame (the server's second read).
    public static func parseClientFinish(_ bytes: [UInt8]) throws(WAHandshakeError) -> WAClientFinish {
        let message = try parse(bytes)
        guard message.hasClientFinish else { throw .malformedHandshakeMessage }
        let finish = message.clientFinish
        return WAClientFinish(
            encryptedStatic: finish.hasStatic ? Array(finish.static) : nil,
            payload: finish.hasPayload ? Array(finish.payload) : nil)
    }

    private static func parse(_ bytes: [UInt8]) throws(WAHandshakeError) -> Proto {
        do { return try Proto(serializedBytes: bytes) } catch { throw .malformedHandshakeMessage }
    }

    private static func serialize(_ message: Proto) -> [UInt8] {
        // proto2 without required fields: serialization cannot fail.
        guard let bytes: [UInt8] = try? message.serializedBytes() else { preconditionFailure("HandshakeMessage serialization") }
        return bytes
    }
}
