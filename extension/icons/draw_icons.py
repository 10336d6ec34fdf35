#!/usr/bin/env python3
"""Draws the extension icons (icon-16/32/48/128.png) with the standard library only:
a green rounded square with a white speech bubble. Run: python3 draw_icons.py"""
import math
import os
import struct
import zlib

GREEN = (18, 140, 94)
WHITE = (255, 255, 255)


def inside_rounded_square(x, y, r):
    dx = max(abs(x - 0.5) - (0.5 - r), 0.0)
    dy = max(abs(y - 0.5) - (0.5 - r), 0.0)
    return dx * dx + dy * dy <= r * r


def inside_bubble(x, y):
    # Ellipse body plus a small tail at the bottom left.
    cx, cy, rx, ry = 0.5, 0.46, 0.29, 0.25
    if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0:
        return True
    # Tail: triangle (0.27,0.62) (0.40,0.68) (0.24,0.80)
    (ax, ay), (bx, by), (qx, qy) = (0.30, 0.60), (0.42, 0.68), (0.24, 0.80)
    d = (by - qy) * (ax - qx) + (qx - bx) * (ay - qy)
    l1 = ((by - qy) * (x - qx) + (qx - bx) * (y - qy)) / d
    l2 = ((qy - ay) * (x - qx) + (ax - qx) * (y - qy)) / d
    return l1 >= 0 and l2 >= 0 and l1 + l2 <= 1


def inside_dots(x, y):
    for cx in (0.38, 0.5, 0.62):
        if (x - cx) ** 2 + (y - 0.46) ** 2 <= 0.035 ** 2:
            return True
    return False


def pixel(size, px, py, ss=4):
    acc = [0.0, 0.0, 0.0, 0.0]
    for i in range(ss):
        for j in range(ss):
            x = (px + (i + 0.5) / ss) / size
            y = (py + (j + 0.5) / ss) / size
            if not inside_rounded_square(x, y, 0.22):
                continue
            colour = GREEN
            if inside_bubble(x, y) and not inside_dots(x, y):
                colour = WHITE
            acc[0] += colour[0]
            acc[1] += colour[1]
            acc[2] += colour[2]
            acc[3] += 255
    n = ss * ss
    alpha = acc[3] / n
    if alpha == 0:
        return (0, 0, 0, 0)
    k = 255 / acc[3]
    return (round(acc[0] * k), round(acc[1] * k), round(acc[2] * k), round(alpha))


def png(size):
    rows = b""
    for py in range(size):
        rows += b"\x00" + b"".join(bytes(pixel(size, px, py)) for px in range(size))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for s in (16, 32, 48, 128):
        with open(os.path.join(here, "icon-%d.png" % s), "wb") as f:
            f.write(png(s))
