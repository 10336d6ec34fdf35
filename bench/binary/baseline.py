#!/usr/bin/env python3
"""pyaileys `wabinary` throughput on the same frames (one hex frame per line), median of 5 timed runs."""
import json
import sys
import time

from pyaileys.wabinary import decode_binary_node, encode_binary_node

frames = [bytes.fromhex(line) for line in open(sys.argv[1]) if line.strip()]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
nodes = [decode_binary_node(frame) for frame in frames]
total = sum(len(frame) for frame in frames)


def rate(body) -> float:
    rates = []
    for _ in range(5):
        passes, start = 0, time.perf_counter()
        while True:
            body()
            passes += 1
            if time.perf_counter() - start >= seconds / 5:
                break
        rates.append(total * passes / (time.perf_counter() - start))
    return sorted(rates)[2]


encode = rate(lambda: [encode_binary_node(node) for node in nodes])
decode = rate(lambda: [decode_binary_node(frame) for frame in frames])
print(json.dumps({"nodes": len(frames), "bytes": total, "encode_MBps": encode / 1e6, "decode_MBps": decode / 1e6}))
