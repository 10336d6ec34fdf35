/// The version of the host <-> extension wire contract documented in PROTOCOL.md.
public enum HostProtocolVersion {
    /// Protocol version, sent in `host.hello`. Bumped only for incompatible changes.
    public static let current = 1
    /// Version of the `crm-whatsapp-host` program.
    public static let hostVersion = "0.1.0"
    /// Native messaging host name (the manifest's `name`, file `io.crm_whatsapp.host.json`).
    public static let nativeHostName = "io.crm_whatsapp.host"
}
