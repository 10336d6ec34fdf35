/// Generated protobuf messages live in this module (proto/*.proto, scripts/gen-proto.sh).
public enum WAProto {}
