/// WhatsApp binary node codec (see ../shared/docs/wa-protocol-lower.md).
public enum WABinary {}
