#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import HostProtocol

// Placeholder entry point until the host shell lands (issue 2).
FileHandleShim.stderr("crm-whatsapp-host: protocol \(HostProtocolVersion.current)\n")

enum FileHandleShim {
    static func stderr(_ s: String) {
        var s = s
        s.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, Glibc.stderr) }
    }
}
