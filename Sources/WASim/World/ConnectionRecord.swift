import Foundation

/// What the simulator knows about one chat connection, as `GET /connections` shows it.
///
/// Never holds keys or message bodies: only what a server operator would log.
public struct ConnectionRecord: Codable, Sendable, Equatable {
    /// Where a connection is in its life.
    public enum State: String, Codable, Sendable {
        /// WebSocket upgraded, waiting for the intro and ClientHello.
        case awaitingClientHello = "awaiting-client-hello"
        /// ServerHello sent, waiting for ClientFinish.
        case awaitingClientFinish = "awaiting-client-finish"
        /// Handshake done; exchanging encrypted binary nodes.
        case established
        /// Closed (see `closeReason`).
        case closed
    }

    /// The ClientPayload summary (docs/protocol/lower.md §3): no keys.
    public struct Payload: Codable, Sendable, Equatable {
        /// `login` (username + device set) or `registration` (devicePairingData set).
        public var kind: String
        public var username: UInt64?
        public var device: UInt32?
        public var passive: Bool?
        public var pull: Bool?
        public var platform: String?
        public var appVersion: String?
        public var osVersion: String?
        public var deviceName: String?
        public var localeLanguage: String?
        public var localeCountry: String?
        public var webSubPlatform: String?
        public var connectType: String?
        public var connectReason: String?
        public var deviceProps: String?
        /// The names of the fields set, top level and in `userAgent` (`userAgent.mcc`…), sorted: the payload's shape.
        public var fieldsSet: [String]?
        public var mcc: String?
        public var mnc: String?
        public var manufacturer: String?
        public var osBuildNumber: String?
        public var releaseChannel: String?
        public var lidDbMigrated: Bool?
        /// DeviceProps beyond `deviceProps`: its version, requireFullSync, whether historySyncConfig is set.
        public var devicePropsVersion: String?
        public var requireFullSync: Bool?
        public var historySyncConfig: Bool?
        /// devicePairingData field → byte length (lengths only, never the keys).
        public var pairingDataLengths: [String: Int]?

        public init(kind: String) { self.kind = kind }
    }

    public var id: Int
    public var tls: Bool
    public var remote: String
    public var path: String
    public var origin: String?
    public var userAgentHeader: String?
    public var openedAt: Date
    public var state: State
    public var payload: Payload?
    /// Server-side events in order: `server-hello-sent`, `handshake-ok`, `sent <failure reason=401>`, `fault drop`…
    public var events: [String]
    public var closeReason: String?
    public var closedAt: Date?

    public init(id: Int, tls: Bool, remote: String, path: String, origin: String?, userAgentHeader: String?, openedAt: Date) {
        self.id = id
        self.tls = tls
        self.remote = remote
        self.path = path
        self.origin = origin
        self.userAgentHeader = userAgentHeader
        self.openedAt = openedAt
        self.state = .awaitingClientHello
        self.events = []
    }
}
