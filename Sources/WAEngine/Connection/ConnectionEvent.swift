import WABinary

/// What a connection (the link layer) reports to the engine, in order (docs/protocol/lower.md §2.3, §4.2).
///
/// Every node after the handshake arrives as ``node(_:)``: `success`, `failure`, `stream:error` and IQs are the
/// client machine's to interpret (``WAClientStateMachine``).
public enum ConnectionEvent: Sendable, Equatable {
    /// The Noise handshake finished and the certificate chain checked out; frames are now encrypted.
    case handshakeCompleted
    /// `<xmlstreamend/>`: the server ends the stream (docs/protocol/lower.md §4.2).
    case streamEnd
    /// One node, as it arrived.
    case node(BinaryNode)
    /// The connection is over; nothing follows.
    case disconnected(DisconnectReason)
}

/// `<failure reason="N" location="…"/>` (docs/protocol/lower.md §6.4).
public struct ConnectFailure: Sendable, Equatable {
    public var reason: Int
    public var location: String?

    public init(reason: Int, location: String?) {
        self.reason = reason
        self.location = location
    }

    /// 401 LoggedOut, 403 MainDeviceGone, 406 UnknownLogout: the device is gone for good (whatsmeow
    /// `IsLoggedOut`).
    public var isLoggedOut: Bool { [401, 403, 406].contains(reason) }
    /// 500 and 503: the server asks the client to try again (whatsmeow reconnects).
    public var isRetryable: Bool { [500, 503].contains(reason) }
}

/// `<stream:error code="N"><conflict type="…"/></stream:error>` (docs/protocol/lower.md §6.3).
public struct StreamError: Sendable, Equatable {
    public var code: Int?
    /// The `type` of a `<conflict>` child (`replaced`, `device_removed`), if any.
    public var conflict: String?

    public init(code: Int?, conflict: String?) {
        self.code = code
        self.conflict = conflict
    }

    /// 515: restart required (always after pairing): reconnect, now with a login payload.
    public var isRestartRequired: Bool { code == 515 }
    /// 401 or `device_removed`: the device was unlinked.
    public var isDeviceRemoved: Bool { code == 401 || conflict == "device_removed" }
    /// `replaced`: another connection took over these credentials; do not reconnect.
    public var isReplaced: Bool { conflict == "replaced" }
}

/// Why a connection ended.
public enum DisconnectReason: Sendable, Equatable {
    /// We closed it.
    case closedLocally
    /// The server closed the transport (after a stream error, a failure, or without a word).
    case closedByServer(code: Int?)
    /// The server broke the protocol; we closed.
    case protocolError(ConnectionError)
}
