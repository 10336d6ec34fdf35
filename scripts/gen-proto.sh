#!/usr/bin/env bash
# Regenerates Sources/WAProto/*.pb.swift from proto/wa/*.proto. The generated files are committed:
# run this only after changing a .proto (needs `protoc`: apt-get install -y protobuf-compiler).
# The plugin is built from our own swift-protobuf dependency, in its own scratch path so the
# normal build directory is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "gen-proto: protoc not found (apt-get install -y protobuf-compiler)" >&2; exit 1; }
scratch=${PROTOC_GEN_SWIFT_SCRATCH:-.build-protoc}
swift build --product protoc-gen-swift --scratch-path "$scratch" >&2
plugin="$scratch/debug/protoc-gen-swift"
mkdir -p Sources/WAProto
rm -f Sources/WAProto/*.pb.swift
protoc --plugin=protoc-gen-swift="$plugin" \
       --swift_out=Sources/WAProto \
       --swift_opt=Visibility=Public,FileNaming=DropPath \
       -I proto/wa proto/wa/*.proto
echo "gen-proto: $(find Sources/WAProto -name "*.pb.swift" | wc -l) files from $("$plugin" --version)" >&2
