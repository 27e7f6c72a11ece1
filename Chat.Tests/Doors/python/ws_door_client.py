"""Drives the /ws door as seed 000's clients would, with Python's websockets library.

Usage: ws_door_client.py URL [ORIGIN|-] ACTION...
  send:TEXT     a text frame            binary      a binary frame
  big:N         a text frame of N bytes badutf8     a text frame that is not UTF-8 (written raw)
  blanks:N      N frames of one space, as fast as they go
  flood:N       N text frames at once, "spam 0" to "spam N-1"
  wait:TEXT     read until a frame contains TEXT (10 s at most)
  drain         read until the server closes (10 s at most)
  stall:S       read nothing for S seconds (the socket's receive buffer is small), then drain
Prints one JSON line: {"frames": [...], "close": code or null, "reason": the close's reason or null,
"status": HTTP status of a refused upgrade}.
"""
import asyncio
import socket
import json
import os
import struct
import sys

import websockets

TIMEOUT = 10


def masked_text_frame(payload: bytes) -> bytes:
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + body


async def main(url, origin, actions):
    report = {"frames": [], "close": None, "reason": None, "status": None}
    try:
        kwargs = {"max_size": None}
        if any(action.startswith("stall:") for action in actions):
            # A reader that stops: little room in the kernel and in the library for what the server sends.
            raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            host, port = url.split("//")[1].split("/")[0].split(":")
            raw.connect((host, int(port)))
            kwargs.update(sock=raw, max_queue=1, read_limit=4096)
        if origin != "-":
            kwargs["origin"] = origin
        async with websockets.connect(url, **kwargs) as ws:
            async def read_until(predicate):
                while True:
                    frame = await asyncio.wait_for(ws.recv(), TIMEOUT)
                    report["frames"].append(json.loads(frame))
                    if predicate(frame):
                        return

            try:
                for action in actions:
                    kind, _, arg = action.partition(":")
                    if kind == "send":
                        await ws.send(arg)
                    elif kind == "binary":
                        await ws.send(b"\x00\x01\x02")
                    elif kind == "flood":
                        for i in range(int(arg)):
                            await ws.send(f"spam {i}")
                    elif kind == "big":
                        await ws.send("x" * int(arg))
                    elif kind == "blanks":
                        for _ in range(int(arg)):
                            await ws.send(" ")
                    elif kind == "badutf8":
                        ws.transport.write(masked_text_frame(b"caf\xc3("))
                    elif kind == "wait":
                        await read_until(lambda frame: arg in frame)
                    elif kind == "stall":
                        await asyncio.sleep(float(arg))
                        await read_until(lambda frame: False)
                    elif kind == "drain":
                        await read_until(lambda frame: False)
            except websockets.ConnectionClosed as closed:
                report["close"] = closed.rcvd.code if closed.rcvd else None
                report["reason"] = closed.rcvd.reason if closed.rcvd else None
    except websockets.exceptions.InvalidStatusCode as refused:
        report["status"] = refused.status_code
    print(json.dumps(report))


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
