/// The version of the host <-> extension wire contract documented in PROTOCOL.md.
public enum HostProtocolVersion {
    public static let current = 1
}
