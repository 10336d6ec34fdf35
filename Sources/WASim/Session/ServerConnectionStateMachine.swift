import Foundation
import WAEngine

/// The server side of one chat connection, pure: bytes and time in, actions out.
///
/// Overview: the client's first WebSocket message starts with the connection intro (wa-protocol-lower §1.2);
/// then 3-byte-length frames (§1.3) carry the Noise handshake (§2.3) and, after it, encrypted binary nodes.
/// Whatever WhatsApp would refuse (a bad intro, a malformed or out-of-order handshake message, a frame that
/// fails to decrypt) closes the connection, as the real server does, without an answer.
struct ServerConnectionStateMachine {
    /// What the session must do.
    enum Action: Equatable {
        /// Send one binary WebSocket message.
        case send([UInt8])
        /// Drop the connection.
        case close(CloseReason)
        /// The connection moved to a new state (for `GET /connections`).
        case stateChanged(ConnectionRecord.State)
        /// Something worth recording (never secrets).
        case event(String)
    }

    /// Why the server dropped a connection.
    enum CloseReason: Equatable, CustomStringConvertible {
        case badIntro(ConnectionIntro.ParseError)
        case protocolViolation(String)

        var description: String {
            switch self {
            case .badIntro(let error): "bad connection intro (\(error))"
            case .protocolViolation(let what): "protocol violation: \(what)"
            }
        }
    }

    private enum State {
        /// Waiting for the intro; bytes so far.
        case awaitingIntro([UInt8])
        /// Intro seen; waiting for the ClientHello frame.
        case awaitingClientHello([UInt8])
        /// The connection is closed; everything is ignored.
        case closed
    }

    private var state: State = .awaitingIntro([])
    let identity: ServerIdentity

    init(identity: ServerIdentity) {
        self.identity = identity
    }

    mutating func received(_ message: [UInt8], now: Date) -> [Action] {
        switch state {
        case .awaitingIntro(let buffered):
            let bytes = buffered + message
            switch ConnectionIntro.parse(bytes) {
            case .needMoreData:
                state = .awaitingIntro(bytes)
                return []
            case .failure(let error):
                state = .closed
                return [.close(.badIntro(error))]
            case .success(let intro, let rest):
                state = .awaitingClientHello(rest)
                return [.event("intro ok" + (intro.routingInfo == nil ? "" : " (with edge routing)"))]
            }
        case .awaitingClientHello(let buffered):
            state = .awaitingClientHello(buffered + message)
            return []
        case .closed:
            return []
        }
    }
}

/// The connection intro a client sends before its first frame (wa-protocol-lower §1.2).
///
/// ```
/// [ "ED" 00 01 len(3, BE) routingInfo ]  optional, Baileys only
/// "W" "A" 06 03                          WAMagicValue 6, dictionary version 3
/// ```
struct ConnectionIntro: Equatable {
    var routingInfo: [UInt8]?

    /// The 4-byte WA header (wm `socket/constants.go` `WAConnHeader`).
    static let header: [UInt8] = [0x57, 0x41, 0x06, 0x03]
    /// Longest routing info accepted.
    static let maximumRoutingInfo = 4096

    enum ParseError: Error, Equatable, CustomStringConvertible {
        case notWA
        case wrongMagic(UInt8)
        case wrongDictionaryVersion(UInt8)
        case badEdgeRouting
        case routingInfoTooLong(Int)

        var description: String {
            switch self {
            case .notWA: "does not start with WA or ED"
            case .wrongMagic(let value): "magic \(value), expected 6"
            case .wrongDictionaryVersion(let value): "dictionary version \(value), expected 3"
            case .badEdgeRouting: "malformed ED block"
            case .routingInfoTooLong(let count): "routing info of \(count) bytes"
            }
        }
    }

    enum ParseResult: Equatable {
        case needMoreData
        case failure(ParseError)
        case success(ConnectionIntro, rest: [UInt8])
    }

    static func parse(_ bytes: [UInt8]) -> ParseResult {
        var offset = 0
        var routingInfo: [UInt8]?
        guard let first = bytes.first else { return .needMoreData }
        if first == 0x45 {  // "E"
            guard bytes.count >= 7 else {
                return bytes.count >= 2 && bytes[1] != 0x44 ? .failure(.notWA) : .needMoreData
            }
            guard bytes[1] == 0x44, bytes[2] == 0x00, bytes[3] == 0x01 else { return .failure(.badEdgeRouting) }
            let length = Int(bytes[4]) << 16 | Int(bytes[5]) << 8 | Int(bytes[6])
            guard length <= maximumRoutingInfo else { return .failure(.routingInfoTooLong(length)) }
            guard bytes.count >= 7 + length else { return .needMoreData }
            routingInfo = Array(bytes[7..<(7 + length)])
            offset = 7 + length
        }
        let available = bytes.count - offset
        for (index, expected) in header.prefix(min(available, 4)).enumerated() where bytes[offset + index] != expected {
            switch index {
            case 0, 1: return .failure(.notWA)
            case 2: return .failure(.wrongMagic(bytes[offset + index]))
            default: return .failure(.wrongDictionaryVersion(bytes[offset + index]))
            }
        }
        guard available >= 4 else { return .needMoreData }
        return .success(ConnectionIntro(routingInfo: routingInfo), rest: Array(bytes[(offset + 4)...]))
    }
}
