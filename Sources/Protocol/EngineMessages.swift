/// Payloads, results and events of the engine messages (PROTOCOL.md §Messages).
///
/// Specified in protocol 1 so the extension can be written against them; the host validates the
/// payloads and answers `engineUnavailable` until WAEngine is wired in.

/// `link.start` payload: `{method: "qr" | "phone", phone?}`; `phone` is required for `"phone"`.
public struct LinkStartPayload: Equatable, Sendable {
    /// How the user links: scanning a QR code, or typing a pairing code on the phone.
    public enum Method: String, Codable, Sendable {
        case qr
        case phone
    }

    public var method: Method
    /// International number, digits only (E.164 without `+`), 7–15 digits.
    public var phone: String?

    public init(method: Method, phone: String? = nil) {
        self.method = method
        self.phone = phone
    }

    public init(json: JSONValue?) throws(PayloadError) {
        let reader = try PayloadReader(json)
        let methodName = try reader.string("method", maxBytes: 16)
        guard let method = Method(rawValue: methodName) else {
            throw PayloadError(field: "method", reason: .invalidValue)
        }
        self.method = method
        var phone = try reader.optionalString("phone", maxBytes: 32)
        if let given = phone, given.hasPrefix("+") { phone = String(given.dropFirst()) }
        if let phone {
            guard (7...15).contains(phone.utf8.count), phone.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw PayloadError(field: "phone", reason: .invalidValue)
            }
        } else if method == .phone {
            throw PayloadError(field: "phone", reason: .missing)
        }
        self.phone = phone
    }
}

/// `message.send` payload: `{to, text, clientMessageId}`.
public struct MessageSendPayload: Equatable, Sendable {
    /// A phone number (digits, optional `+`) or a JID (`<user>@s.whatsapp.net`, `<id>@g.us`).
    public var to: String
    /// The message text, at most 65,536 UTF-8 bytes.
    public var text: String
    /// The extension's id for this message, echoed in every `message.status`.
    public var clientMessageId: String

    public static let maximumTextLength = 65_536

    public init(to: String, text: String, clientMessageId: String) {
        self.to = to
        self.text = text
        self.clientMessageId = clientMessageId
    }

    public init(json: JSONValue?) throws(PayloadError) {
        let reader = try PayloadReader(json)
        to = try reader.string("to", maxBytes: 128)
        text = try reader.string("text", maxBytes: Self.maximumTextLength)
        clientMessageId = try reader.string("clientMessageId", maxBytes: RequestID.maximumStringLength)
        guard !to.isEmpty else { throw PayloadError(field: "to", reason: .invalidValue) }
        guard !text.isEmpty else { throw PayloadError(field: "text", reason: .invalidValue) }
        guard !clientMessageId.isEmpty else { throw PayloadError(field: "clientMessageId", reason: .invalidValue) }
    }
}

/// `message.send` result: the message was accepted into the outbox.
public struct MessageSendResult: Codable, Equatable, Sendable {
    public var clientMessageId: String
    /// WhatsApp's message id (hex), assigned when queued.
    public var messageId: String
    public var status: MessageStatus

    public init(clientMessageId: String, messageId: String, status: MessageStatus) {
        self.clientMessageId = clientMessageId
        self.messageId = messageId
        self.status = status
    }
}

/// The linked account, as far as the engine knows it.
public struct LinkedAccount: Codable, Equatable, Sendable {
    /// The device JID, `<phone>:<device>@s.whatsapp.net`.
    public var jid: String
    public var pushName: String?

    public init(jid: String, pushName: String?) {
        self.jid = jid
        self.pushName = pushName
    }
}

/// `engine.state` event and `engine.status` result: `{state, account?, reason?}`.
public struct EngineStateEvent: Codable, Equatable, Sendable {
    public var state: EngineState
    public var account: LinkedAccount?
    /// Why the engine left `connected` (`"connectionLost"`, `"loggedOutByPhone"`, ...).
    public var reason: String?

    public init(state: EngineState, account: LinkedAccount? = nil, reason: String? = nil) {
        self.state = state
        self.account = account
        self.reason = reason
    }
}

/// `link.qr` event: `{code, pngBase64?, expiresAt}`; `expiresAt` is Unix time in milliseconds.
public struct LinkQREvent: Codable, Equatable, Sendable {
    /// The text to encode in the QR code (`ref,noiseKey,identityKey,advSecret`).
    public var code: String
    public var pngBase64: String?
    public var expiresAt: Int64

    public init(code: String, pngBase64: String?, expiresAt: Int64) {
        self.code = code
        self.pngBase64 = pngBase64
        self.expiresAt = expiresAt
    }
}

/// `link.pairingCode` event: `{code, expiresAt}`, the 8-character code to type on the phone.
public struct LinkPairingCodeEvent: Codable, Equatable, Sendable {
    public var code: String
    public var expiresAt: Int64

    public init(code: String, expiresAt: Int64) {
        self.code = code
        self.expiresAt = expiresAt
    }
}

/// Delivery status of an outgoing message, in the order it can advance.
public enum MessageStatus: String, Codable, Sendable {
    case queued, sent, delivered, read, failed
}

/// `message.status` event: `{clientMessageId, messageId, status, timestamp, error?}`.
public struct MessageStatusEvent: Codable, Equatable, Sendable {
    public var clientMessageId: String
    public var messageId: String
    public var status: MessageStatus
    /// Unix time in milliseconds of the change.
    public var timestamp: Int64
    /// Set when `status` is `failed`: a `HostErrorCode` raw value.
    public var errorCode: Int?

    public init(clientMessageId: String, messageId: String, status: MessageStatus, timestamp: Int64, errorCode: Int? = nil) {
        self.clientMessageId = clientMessageId
        self.messageId = messageId
        self.status = status
        self.timestamp = timestamp
        self.errorCode = errorCode
    }
}

/// `message.incoming` event: a text message received by the linked account.
public struct MessageIncomingEvent: Codable, Equatable, Sendable {
    public var messageId: String
    /// The chat JID (the sender for 1:1 chats, the group for groups).
    public var chat: String
    /// The sender JID.
    public var from: String
    public var pushName: String?
    public var text: String
    /// Unix time in milliseconds, from the message.
    public var timestamp: Int64

    public init(messageId: String, chat: String, from: String, pushName: String?, text: String, timestamp: Int64) {
        self.messageId = messageId
        self.chat = chat
        self.from = from
        self.pushName = pushName
        self.text = text
        self.timestamp = timestamp
    }
}
