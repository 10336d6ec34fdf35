#!/bin/sh
# Regenerates Sources/SignalProtocol/Proto/*.pb.swift from proto/signal/*.proto.
# Needs protoc (apt-get install -y protobuf-compiler); builds protoc-gen-swift from our own
# swift-protobuf dependency. The generated files are committed and never hand-edited.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v protoc >/dev/null || { echo "install protoc: apt-get install -y protobuf-compiler" >&2; exit 1; }
swift build --product protoc-gen-swift >&2
plugin=$(swift build --show-bin-path)/protoc-gen-swift
protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    --swift_out=Sources/SignalProtocol/Proto \
    -I proto/signal proto/signal/*.proto
