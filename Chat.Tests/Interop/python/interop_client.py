"""Python's websockets client against the chat hub, one scenario a run:

    /usr/bin/python3 interop_client.py <ws url> <scenario> <room>

It prints one JSON line with what the client saw (the test asserts on it) and exits 0; anything
unexpected goes to stderr with exit code 1. Every wait has its own timeout. It uses the library's
public API only (websockets 10.x, Debian's python3-websockets), so it sends what users of the library
send: masked frames, valid UTF-8.
"""

import asyncio
import json
import sys
import uuid

import websockets

RS = "\x1e"
TIMEOUT = 10


def invocation(invocation_id, target, *arguments):
    # ensure_ascii=False: the text goes as UTF-8, as browsers and the .NET client send it.
    return json.dumps({"type": 1, "invocationId": invocation_id, "target": target, "arguments": list(arguments)},
                      ensure_ascii=False) + RS


class Hub:
    """Reads hub records (separated by 0x1e) as they come, so a scenario can await one."""

    def __init__(self, ws):
        self.ws = ws
        self.records = []

    async def record(self, match):
        while True:
            for found in self.records:
                if match(found):
                    return found
            message = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
            if isinstance(message, str):
                self.records.extend(json.loads(text) for text in message.split(RS) if text)

    async def completion(self, invocation_id):
        return await self.record(lambda r: r.get("type") == 3 and r.get("invocationId") == invocation_id)

    async def close_seen(self):
        """What the library reports once the connection has closed: the close code and reason it saw."""
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), TIMEOUT)
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(self.ws.wait_closed(), TIMEOUT)
        return {"code": self.ws.close_code, "reason": self.ws.close_reason}


async def fragmented(hub, room):
    message = invocation("1", "Join", room)
    third = -(-len(message) // 3)
    # An iterable makes the library send one message as a text frame and continuation frames.
    await hub.ws.send([message[:third], message[third:2 * third], message[2 * third:]])
    return {"completion": await hub.completion("1")}


async def ping(hub, room):
    # The waiter completes when the pong with this payload arrives (the library reads in the background).
    pong = await hub.ws.ping(b"are you there")
    await asyncio.wait_for(pong, TIMEOUT)
    return {"pong": True}


async def close_normal(hub, room):
    await asyncio.wait_for(hub.ws.close(1000), TIMEOUT)
    return {"code": hub.ws.close_code, "reason": hub.ws.close_reason}


async def close_4000(hub, room):
    await asyncio.wait_for(hub.ws.close(4000, "going to lunch"), TIMEOUT)
    return {"code": hub.ws.close_code, "reason": hub.ws.close_reason}


async def oversize(hub, room):
    await hub.ws.send("x" * (70 * 1024))
    return await hub.close_seen()


def summary(completion):
    """A SendMessage completion without the 6 KB text: its error, or the stored message's seq and length."""
    if "error" in completion:
        return {"error": completion["error"]}
    return {"seq": completion["result"]["seq"], "textLength": len(completion["result"]["text"])}


async def burst(hub, room):
    await hub.ws.send(invocation("join", "Join", room))
    await hub.completion("join")
    ids = [f"send{i}" for i in range(12)]
    for i, invocation_id in enumerate(ids):
        await hub.ws.send(invocation(invocation_id, "SendMessage", room, chr(0x4E00 + i) * 2000, str(uuid.uuid4())))
    completions = [summary(await hub.completion(invocation_id)) for invocation_id in ids]
    return {"completions": completions, "open": hub.ws.open}


SCENARIOS = {
    "fragmented": fragmented,
    "ping": ping,
    "close-1000": close_normal,
    "close-4000": close_4000,
    "oversize": oversize,
    "burst": burst,
}


async def main(url, scenario, room):
    run = SCENARIOS[scenario]
    # No keep-alive pings of the library's own: the ping scenario sends its own.
    async with websockets.connect(url, ping_interval=None, close_timeout=TIMEOUT, open_timeout=TIMEOUT) as ws:
        hub = Hub(ws)
        await ws.send(json.dumps({"protocol": "json", "version": 1}) + RS)
        await hub.record(lambda r: "type" not in r)
        result = await run(hub, room)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
