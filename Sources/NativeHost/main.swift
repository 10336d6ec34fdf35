import HostProtocol

// Placeholder entry point until the host shell lands (issue 2): the real host replaces this file.
let banner = "crm-whatsapp-host: protocol \(HostProtocolVersion.current)"
_ = banner
