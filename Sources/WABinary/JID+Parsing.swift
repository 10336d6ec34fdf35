/// Why a string is not a JID.
public enum JIDParseError: Error, Equatable, Sendable {
    /// More than one `@`.
    case multipleAtSigns
    /// The agent after `.` is not a number in 0...255, or more than one `.` appears.
    case invalidAgent(String)
    /// The device after `:` is not a number in 0...65535, or more than one `:` appears.
    case invalidDevice(String)
    /// An interop user is not `integrator-user` with a numeric integrator.
    case invalidIntegrator(String)
}

extension JID {
    /// Parses the string forms written by `description` (whatsmeow `types.ParseJID` rules).
    ///
    /// A string without `@` is a server-only JID (`"s.whatsapp.net"` → user `""`).
    public init(parsing string: String) throws(JIDParseError) {
        let parts = string.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .multipleAtSigns }
        guard parts.count == 2 else {
            self.init(user: "", server: string)
            return
        }
        let server = String(parts[1])
        var user = Substring(parts[0])
        var integrator: UInt16 = 0
        if server == JID.interopServer, let dash = user.firstIndex(of: "-") {
            let digits = user[..<dash]
            guard let value = UInt16(digits) else { throw .invalidIntegrator(String(user)) }
            integrator = value
            user = user[user.index(after: dash)...]
        }
        var device: UInt16 = 0
        var rawAgent: UInt8 = 0
        let colonParts = user.split(separator: ":", omittingEmptySubsequences: false)
        guard colonParts.count <= 2 else { throw .invalidDevice(String(user)) }
        if colonParts.count == 2 {
            guard let value = UInt16(colonParts[1]) else { throw .invalidDevice(String(colonParts[1])) }
            device = value
        }
        var userPart = colonParts[0]
        let dotParts = userPart.split(separator: ".", omittingEmptySubsequences: false)
        if dotParts.count > 1 {
            guard dotParts.count == 2, let agent = UInt8(dotParts[1]) else { throw .invalidAgent(String(userPart)) }
            rawAgent = agent
            userPart = dotParts[0]
        }
        self.init(user: String(userPart), rawAgent: rawAgent, device: device, integrator: integrator, server: server)
    }
}
