"""Python's websockets client as the clients of the room doors (/ws/chat/{room}, /ws/lobby, /chat/{room})
would use it, one scenario a run:

    /usr/bin/python3 room_doors_client.py <scenario> <server ws url> <room> <nickname> [extra]

It prints one JSON line with what it saw (the test asserts on it) and exits 0; anything unexpected goes
to stderr with exit code 1. Every wait has its own timeout. Public API only (websockets 10.x, Debian's
python3-websockets), except write_frame for the one frame the API will not send: text that is not UTF-8.
"""

import asyncio
import json
import socket
import sys

import websockets

TIMEOUT = 10


class Door:
    """Keeps everything received, so a scenario can await one message and report them all."""

    def __init__(self, ws, parse):
        self.ws = ws
        self.parse = parse
        self.seen = []

    async def until(self, match):
        for found in self.seen:
            if match(found):
                return found
        while True:
            message = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
            item = self.parse(message)
            self.seen.append(item)
            if match(item):
                return item

    async def close_seen(self):
        try:
            while True:
                message = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
                self.seen.append(self.parse(message))
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(self.ws.wait_closed(), TIMEOUT)
        return {"code": self.ws.close_code, "reason": self.ws.close_reason}


def as_json(message):
    return json.loads(message) if isinstance(message, str) else {"binary": len(message)}


def as_text(message):
    return message if isinstance(message, str) else f"<binary {len(message)}>"


def connect(url, **options):
    return websockets.connect(url, ping_interval=None, close_timeout=TIMEOUT, open_timeout=TIMEOUT, **options)


def send_json(ws, type_, **fields):
    return ws.send(json.dumps({"type": type_, **fields}, ensure_ascii=False))


async def json_chat(base, room, nickname, extra):
    """/ws/chat/{room}: welcome, history, a live message from SignalR, two of ours, a rename and typing."""
    async with connect(f"{base}/ws/chat/{room}?username={nickname}") as ws:
        door = Door(ws, as_json)
        welcome = await door.until(lambda m: m["type"] == "system")
        await door.until(lambda m: m["type"] == "message" and m["message"] == "from signalr")
        await send_json(ws, "typing")
        await send_json(ws, "message", message="from python 1")
        await send_json(ws, "message", message="from python 2")
        await door.until(lambda m: m["type"] == "message" and m["message"] == "from python 2")
        await send_json(ws, "set_username", username=extra)
        await door.until(lambda m: m["type"] == "system" and m.get("username") == extra)
        await door.until(lambda m: m["type"] == "message" and m["message"] == "bye")
        return {"welcome": welcome, "seen": door.seen}


async def text_chat(base, room, nickname, extra):
    """/chat/{room}: lines in, 'username :: message' out, history first."""
    async with connect(f"{base}/chat/{room}?name={nickname}") as ws:
        door = Door(ws, as_text)
        await door.until(lambda line: line == "alice :: from signalr" or line.endswith(" :: from signalr"))
        await ws.send("from python 1")
        await ws.send("from python 2")
        await door.until(lambda line: line == f"{nickname} :: from python 2")
        return {"seen": door.seen}


async def json_listen(base, room, nickname, extra):
    """/ws/chat/{room}: joins and reads until a message whose text is extra, sending nothing."""
    async with connect(f"{base}/ws/chat/{room}?username={nickname}") as ws:
        door = Door(ws, as_json)
        await door.until(lambda m: m["type"] == "message" and m["message"] == extra)
        return {"seen": door.seen}


async def lobby(base, room, nickname, extra):
    """/ws/lobby: the first update, then one that shows a door user of ours (on member_base) in the room beside the others."""
    least, member_base = extra.split(",", 1)
    async with connect(f"{base}/ws/lobby") as ws:
        door = Door(ws, as_json)
        first = await door.until(lambda m: m["type"] == "rooms_update")
        async with connect(f"{member_base}/ws/chat/{room}?username={nickname}") as member:
            await Door(member, as_json).until(lambda m: m["type"] == "system")
            wanted = lambda m: (m["type"] == "rooms_update" and room in m["rooms"]
                                and nickname in m["rooms"][room]["usernames"] and m["rooms"][room]["users"] >= int(least))
            update = await door.until(wanted)
        return {"first": first, "update": update}


async def bad_input(base, path, parse, send_bad, good):
    """Sends something wrong, then a good message; reports the answer to each and whether the connection stayed."""
    async with connect(f"{base}{path}") as ws:
        door = Door(ws, parse)
        await door.until(lambda m: True)  # the welcome
        before = len(door.seen)
        await send_bad(ws)
        answer = await door.until(lambda m: door.seen.index(m) >= before)
        await ws.send(good)
        echo = await door.until(lambda m: "still here" in json.dumps(m))
        return {"answer": answer, "echo": echo, "open": ws.open}


async def bad(base, room, nickname, extra):
    kind, dialect = extra.split(":")
    path = f"/ws/chat/{room}?username={nickname}" if dialect == "json" else f"/chat/{room}?name={nickname}"
    parse = as_json if dialect == "json" else as_text
    good = json.dumps({"type": "message", "message": "still here"}) if dialect == "json" else "still here"
    payloads = {
        "binary": lambda ws: ws.send(b"\x00\x01binary"),
        "invalid-json": lambda ws: ws.send("{not json"),
        "unknown-type": lambda ws: send_json(ws, "dance", steps=3),
        "empty": lambda ws: ws.send(json.dumps({"type": "message", "message": "   "}) if dialect == "json" else "   "),
    }
    return await bad_input(base, path, parse, payloads[kind], good)


async def closing(base, room, nickname, extra):
    """Something that ends the connection: the close code and reason the library saw."""
    kind, path = extra.split(":", 1)
    async with connect(f"{base}{path}", max_size=None) as ws:
        door = Door(ws, as_text)
        if kind == "huge":
            await ws.send("x" * (64 * 1024 + 1))
        elif kind == "bad-utf8":
            await ws.write_frame(True, websockets.frames.Opcode.TEXT, b"caf\xc3(")
        elif kind == "flood":
            try:
                for _ in range(2000):
                    await ws.send("{not json")
            except websockets.ConnectionClosed:
                pass
        closed = await door.close_seen()
        return {**closed, "seen": door.seen[:5]}


async def refused(base, room, nickname, extra):
    """A connection the door refuses after accepting it (bad room, taken name): its error, then the close."""
    async with connect(f"{base}{extra}") as ws:
        door = Door(ws, as_text)
        closed = await door.close_seen()
        return {**closed, "seen": door.seen}


async def stall(base, room, nickname, extra):
    """Joins, then stops reading (a tiny receive buffer, one queued message) for a while; reports how it ended."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    host, port = base.split("//")[1].split(":")
    raw.connect((host, int(port)))
    async with connect(f"{base}/ws/chat/{room}?username={nickname}", sock=raw, max_queue=1, read_limit=4096) as ws:
        await Door(ws, as_json).until(lambda m: m["type"] == "system")
        await asyncio.sleep(float(extra))
        try:
            while True:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
        except websockets.ConnectionClosed:
            pass
        return {"code": ws.close_code}


async def restart(base, room, nickname, extra):
    """Waits in a room until the server stops: the notice it got and the close."""
    path = f"/ws/chat/{room}?username={nickname}" if extra == "json" else f"/chat/{room}?name={nickname}"
    async with connect(f"{base}{path}") as ws:
        door = Door(ws, as_json if extra == "json" else as_text)
        await door.until(lambda m: True)
        print(json.dumps({"ready": True}), flush=True)
        try:
            while True:
                door.seen.append(door.parse(await asyncio.wait_for(ws.recv(), 30)))
        except websockets.ConnectionClosed:
            pass
        return {"code": ws.close_code, "reason": ws.close_reason, "seen": door.seen}


SCENARIOS = {
    "json-chat": json_chat,
    "json-listen": json_listen,
    "text-chat": text_chat,
    "lobby": lobby,
    "bad": bad,
    "closing": closing,
    "refused": refused,
    "stall": stall,
    "restart": restart,
}


async def main(scenario, base, room, nickname, extra=""):
    result = await SCENARIOS[scenario](base, room, nickname, extra)
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
