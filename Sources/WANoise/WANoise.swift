/// Noise_XX_25519_AESGCM_SHA256 as WhatsApp uses it (see ../shared/docs/wa-protocol-lower.md §2).
public enum WANoise {}
