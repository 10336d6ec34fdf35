/// The Signal protocol as WhatsApp uses it (see ../shared/docs/wa-protocol-upper.md §1, §2).
public enum SignalProtocol {}
