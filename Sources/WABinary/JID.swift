/// A WhatsApp address: `user[.agent][:device]@server` (docs/protocol/lower.md §4.5, docs/protocol/upper.md §6.1).
///
/// The fields follow whatsmeow's `types.JID`: `rawAgent` is kept only for AD_JID domain bytes that are not
/// one of the known domains; `integrator` is used only by interop JIDs.
public struct JID: Hashable, Sendable {
    public var user: String
    public var rawAgent: UInt8
    public var device: UInt16
    public var integrator: UInt16
    public var server: String

    /// Known servers (docs/protocol/lower.md §4.5).
    public static let userServer = "s.whatsapp.net"
    public static let groupServer = "g.us"
    public static let legacyUserServer = "c.us"
    public static let broadcastServer = "broadcast"
    public static let hiddenUserServer = "lid"
    public static let messengerServer = "msgr"
    public static let interopServer = "interop"
    public static let newsletterServer = "newsletter"
    public static let hostedServer = "hosted"
    public static let hostedLIDServer = "hosted.lid"
    public static let botServer = "bot"

    /// The server itself: user `""` at `s.whatsapp.net`.
    public static let serverJID = JID(user: "", server: userServer)

    public init(user: String, rawAgent: UInt8 = 0, device: UInt16 = 0, integrator: UInt16 = 0, server: String) {
        self.user = user
        self.rawAgent = rawAgent
        self.device = device
        self.integrator = integrator
        self.server = server
    }

    /// Builds the JID an AD_JID carries: the domain byte selects the server (docs/protocol/lower.md §4.5 "Decoding AD_JID").
    public init(user: String, domain: UInt8, device: UInt8) {
        switch domain {
        case ADDomain.whatsApp: self.init(user: user, device: UInt16(device), server: JID.userServer)
        case ADDomain.lid: self.init(user: user, device: UInt16(device), server: JID.hiddenUserServer)
        case ADDomain.hosted: self.init(user: user, device: UInt16(device), server: JID.hostedServer)
        case ADDomain.hostedLID: self.init(user: user, device: UInt16(device), server: JID.hostedLIDServer)
        default: self.init(user: user, rawAgent: domain, device: UInt16(device), server: JID.userServer)
        }
    }

    /// AD_JID domain bytes (docs/protocol/lower.md §4.5).
    public enum ADDomain {
        public static let whatsApp: UInt8 = 0
        public static let lid: UInt8 = 1
        public static let hosted: UInt8 = 128
        public static let hostedLID: UInt8 = 129
    }

    /// The domain byte written in an AD_JID: derived from the server, else the raw agent.
    public var actualAgent: UInt8 {
        switch server {
        case JID.userServer: rawAgent
        case JID.hiddenUserServer: ADDomain.lid
        case JID.hostedServer: ADDomain.hosted
        case JID.hostedLIDServer: ADDomain.hostedLID
        default: rawAgent
        }
    }

    /// The same address without agent and device (the "user JID").
    public var userJID: JID { JID(user: user, server: server) }

    /// True for an individual device of a user (`:device` present).
    public var isAD: Bool { device > 0 || rawAgent > 0 }
}

extension JID: CustomStringConvertible {
    /// The string form: `user@server`, `user:device@server`, `user.agent:device@server`, the bare server
    /// when the user is empty, and `integrator-user:device@interop` for interop JIDs.
    public var description: String {
        if server == JID.interopServer {
            return "\(integrator)-\(user):\(device)@\(server)"
        }
        if rawAgent > 0 {
            return "\(user).\(rawAgent):\(device)@\(server)"
        }
        if device > 0 {
            return "\(user):\(device)@\(server)"
        }
        if user.isEmpty {
            return server
        }
        return "\(user)@\(server)"
    }
}
