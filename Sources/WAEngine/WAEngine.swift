/// The WhatsApp multi-device client.
public enum WAEngine {}
