"""Reading an ASGI request body whole, so a middleware can look at it, then replaying it to the app."""

from dataclasses import dataclass

from starlette.types import Message, Receive


class BodyTooLargeError(Exception):
    pass


@dataclass
class BufferedBody:
    messages: list[Message]
    body: bytes

    @classmethod
    async def read(cls, receive: Receive, max_bytes: int | None = None) -> "BufferedBody":
        """Raises BodyTooLargeError as soon as more than `max_bytes` have arrived."""
        messages: list[Message] = []
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return cls(messages, b"".join(chunks))

    def replay(self, receive: Receive) -> Receive:
        """A `receive` that gives the buffered messages first, then whatever else arrives."""
        pending = list(self.messages)

        async def replayed() -> Message:
            return pending.pop(0) if pending else await receive()

        return replayed
