"""A small asyncio client of the Chrome DevTools protocol over its WebSocket, with flattened
sessions (one connection drives the browser, pages and the extension's service worker).
Depends on `websockets` only (tests/oracles/requirements.txt)."""
import asyncio
import json

import websockets


class DevToolsError(Exception):
    """A protocol error answer, or an exception thrown by evaluated JavaScript."""


class DevTools:
    def __init__(self, socket):
        self._socket = socket
        self._next_id = 0
        self._waiting = {}
        self._listeners = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, url):
        return cls(await websockets.connect(url, max_size=None))

    async def _read(self):
        try:
            async for text in self._socket:
                message = json.loads(text)
                if "id" in message:
                    future = self._waiting.pop(message["id"], None)
                    if future and not future.done():
                        if "error" in message:
                            future.set_exception(DevToolsError(message["error"]))
                        else:
                            future.set_result(message.get("result", {}))
                    continue
                for listener in list(self._listeners):
                    listener(message.get("sessionId"), message.get("method"), message.get("params", {}))
        except websockets.ConnectionClosed:
            pass
        finally:
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(DevToolsError("browser connection closed"))

    def listen(self, callback):
        """callback(session_id, method, params) for every event; returns a function that stops it."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    async def send(self, method, params=None, session=None, timeout=30):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        future = asyncio.get_running_loop().create_future()
        self._waiting[self._next_id] = future
        await self._socket.send(json.dumps(message))
        return await asyncio.wait_for(future, timeout)

    async def evaluate(self, session, expression, timeout=30, context_id=None, user_gesture=False):
        """Evaluates JavaScript (awaiting a promise) and returns its JSON value."""
        params = {"expression": expression, "awaitPromise": True, "returnByValue": True, "userGesture": user_gesture}
        if context_id is not None:
            params["contextId"] = context_id
        result = await self.send("Runtime.evaluate", params, session=session, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise DevToolsError(text)
        return result["result"].get("value")

    async def wait_for_target(self, predicate, timeout=20):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            targets = (await self.send("Target.getTargets"))["targetInfos"]
            for target in targets:
                if predicate(target):
                    return target
            if loop.time() > deadline:
                raise TimeoutError("no such target; have %r" % [(t["type"], t["url"]) for t in targets])
            await asyncio.sleep(0.2)

    async def attach(self, target_id):
        return (await self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True}))["sessionId"]

    async def open_page(self, url):
        """Opens a new tab, attaches, enables Page and Runtime; returns (target_id, session)."""
        target_id = (await self.send("Target.createTarget", {"url": url}))["targetId"]
        session = await self.attach(target_id)
        await self.send("Page.enable", session=session)
        await self.send("Runtime.enable", session=session)
        return target_id, session

    async def poll(self, session, expression, timeout=15, interval=0.2, context_id=None):
        """Evaluates until the value is truthy; returns it (raises TimeoutError with the last error)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last = None
        while True:
            try:
                value = await self.evaluate(session, expression, timeout=10, context_id=context_id)
                if value:
                    return value
                last = value
            except DevToolsError as error:  # page still loading, worker bindings not ready yet
                last = str(error)
            if loop.time() > deadline:
                raise TimeoutError("%s: last value %r" % (expression[:80], last))
            await asyncio.sleep(interval)

    async def close(self):
        self._reader.cancel()
        await self._socket.close()
