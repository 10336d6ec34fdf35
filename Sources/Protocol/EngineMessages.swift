/// Payloads, results and events of the engine messages (PROTOCOL.md §Messages).
///
/// The status object is the contract of issue 11 (linking): the result of `engine.status`, `link.start`,
/// `link.cancel` and `engine.logout`, the payload of `engine.state` and the `engine` member of `host.hello`.

/// `link.start` payload: `{method: "qr" | "phone", phone?}`; `phone` is required for `"phone"`.
public struct LinkStartPayload: PayloadDecodable, Equatable {
    /// How the user links: scanning a QR code, or typing a pairing code on the phone.
    public enum Method: String, Sendable, JSONEncodable {
        case qr
        case phone

        public func encode(to writer: inout JSONWriter) { writer.string(rawValue) }
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
public struct MessageSendPayload: PayloadDecodable, Equatable {
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
public struct MessageSendResult: JSONEncodable, Equatable, Sendable {
    public var clientMessageId: String
    /// WhatsApp's message id (hex), assigned when queued.
    public var messageId: String
    public var status: MessageStatus

    public init(clientMessageId: String, messageId: String, status: MessageStatus) {
        self.clientMessageId = clientMessageId
        self.messageId = messageId
        self.status = status
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("clientMessageId", clientMessageId)
            writer.member("messageId", messageId)
            writer.member("status", status)
        }
    }
}

/// The linked account, as far as the engine knows it.
public struct LinkedAccount: JSONEncodable, Equatable, Sendable {
    /// The device JID, `<phone>:<device>@s.whatsapp.net`.
    public var jid: String
    /// The device's LID, `<lid>:<device>@lid`, once known.
    public var lid: String?
    /// The account's phone number, digits only.
    public var phone: String?
    public var pushName: String?

    public init(jid: String, lid: String? = nil, phone: String? = nil, pushName: String? = nil) {
        self.jid = jid
        self.lid = lid
        self.phone = phone
        self.pushName = pushName
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("jid", jid)
            writer.member("lid", lid)
            writer.member("phone", phone)
            writer.member("pushName", pushName)
        }
    }
}

/// The engine status object: `{state, account?, reason?, method?, retryAt?, until?, code?, message?}`.
///
/// `reason` values by state are listed in PROTOCOL.md §`engine.state`; times are Unix milliseconds.
public struct EngineStatus: JSONEncodable, Equatable, Sendable {
    public var state: EngineState
    public var account: LinkedAccount?
    public var reason: String?
    /// With `linking`: how the user links.
    public var method: LinkStartPayload.Method?
    /// With `disconnected`: when the next attempt starts.
    public var retryAt: Int64?
    /// With `stopped` (banned): end of a temporary ban, when known.
    public var until: Int64?
    /// With `stopped`: the server's failure or stream-error code (403, 405, 440...).
    public var code: Int?
    /// With `unavailable`: what is wrong, in plain words.
    public var message: String?

    public init(
        state: EngineState, account: LinkedAccount? = nil, reason: String? = nil, method: LinkStartPayload.Method? = nil,
        retryAt: Int64? = nil, until: Int64? = nil, code: Int? = nil, message: String? = nil
    ) {
        self.state = state
        self.account = account
        self.reason = reason
        self.method = method
        self.retryAt = retryAt
        self.until = until
        self.code = code
        self.message = message
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("account", account)
            writer.member("code", code)
            writer.member("message", message)
            writer.member("method", method)
            writer.member("reason", reason)
            writer.member("retryAt", retryAt)
            writer.member("state", state)
            writer.member("until", until)
        }
    }
}

/// `link.qr` payload: `{code, pngBase64, expiresAt, index}`; `expiresAt` is Unix time in milliseconds.
public struct LinkQR: JSONEncodable, Equatable, Sendable {
    /// The text to encode in the QR code (docs/protocol/lower.md §5.3).
    public var code: String
    /// The rendered QR code as a base64 PNG.
    public var pngBase64: String?
    public var expiresAt: Int64
    /// 1-based number of this code among the refs the server gave.
    public var index: Int?

    public init(code: String, pngBase64: String?, expiresAt: Int64, index: Int? = nil) {
        self.code = code
        self.pngBase64 = pngBase64
        self.expiresAt = expiresAt
        self.index = index
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("code", code)
            writer.member("expiresAt", expiresAt)
            writer.member("index", index)
            writer.member("pngBase64", pngBase64)
        }
    }
}

/// `link.pairingCode` payload: `{code, expiresAt}`, the 8-character code to type on the phone.
public struct LinkPairingCode: JSONEncodable, Equatable, Sendable {
    public var code: String
    public var expiresAt: Int64

    public init(code: String, expiresAt: Int64) {
        self.code = code
        self.expiresAt = expiresAt
    }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("code", code)
            writer.member("expiresAt", expiresAt)
        }
    }
}

/// `contact.identityChanged` payload: `{jid}`, a contact whose new identity key was accepted.
public struct ContactIdentityChanged: JSONEncodable, Equatable, Sendable {
    public var jid: String

    public init(jid: String) { self.jid = jid }

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in writer.member("jid", jid) }
    }
}

/// Delivery status of an outgoing message, in the order it can advance.
public enum MessageStatus: String, Sendable, JSONEncodable {
    case queued, sent, delivered, read, failed

    public func encode(to writer: inout JSONWriter) { writer.string(rawValue) }
}

/// `message.status` payload: `{clientMessageId, messageId, status, timestamp, errorCode?}`.
public struct MessageStatusUpdate: JSONEncodable, Equatable, Sendable {
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

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("clientMessageId", clientMessageId)
            writer.member("errorCode", errorCode)
            writer.member("messageId", messageId)
            writer.member("status", status)
            writer.member("timestamp", timestamp)
        }
    }
}

/// `message.incoming` payload: a text message received by the linked account.
public struct IncomingMessage: JSONEncodable, Equatable, Sendable {
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

    public func encode(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("chat", chat)
            writer.member("from", from)
            writer.member("messageId", messageId)
            writer.member("pushName", pushName)
            writer.member("text", text)
            writer.member("timestamp", timestamp)
        }
    }
}
