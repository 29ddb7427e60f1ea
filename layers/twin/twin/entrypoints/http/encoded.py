"""JSON bodies built once per value, for routes whose service hands back the same object until its data changes."""

from collections.abc import Callable

from fastapi import Response
from pydantic import BaseModel


class EncodedOnce[T]:
    """The body of the value last seen, built again only for another value.

    Values are told apart by identity: the service returns the very same object while its data is unchanged, and
    comparing two values field by field would cost about as much as building the body.
    """

    def __init__(self, model_of: Callable[[T], BaseModel]) -> None:
        self._model_of = model_of
        self._last: tuple[T, bytes] | None = None

    def response(self, value: T) -> Response:
        last = self._last
        if last is None or last[0] is not value:
            last = self._last = (value, self._model_of(value).model_dump_json().encode())
        return Response(last[1], media_type="application/json")
