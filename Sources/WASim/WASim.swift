/// The WhatsApp simulator: server side and simulated phones.
public enum WASim {}
