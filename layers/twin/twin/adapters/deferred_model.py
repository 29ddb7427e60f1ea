"""A `ChatModel` made on its first answer: a process that answers only from the cache never imports its SDK."""

from collections.abc import Callable
from functools import cached_property

from twin.domain.answers import Reply
from twin.domain.prompt import Prompt
from twin.ports import ChatModel


class DeferredModel:
    def __init__(self, make: Callable[[], ChatModel]) -> None:
        self._make = make

    @cached_property
    def _model(self) -> ChatModel:
        return self._make()

    def answer(self, prompt: Prompt) -> Reply:
        return self._model.answer(prompt)
