"""The Groq `ChatModel`: answers from a hosted model through the `groq` SDK, or any OpenAI-compatible server.

`base_url` is either Groq's (or a server with its layout: `<root>/openai/v1/chat/completions`, the root or the
`.../openai/v1` URL) or any OpenAI-compatible API root such as `http://localhost:11434/v1`, which answers
`<root>/chat/completions`. A reply that starts with the prompt's `NO_ANSWER_MARKER` is an abstention
(`answered=False`, the marker dropped), and a prompt without passages gets `ABSTENTION` without a request.
Every failure becomes `BackendUnavailableError` with a short reason; no message carries the key, the prompt or
the answer.
"""

import logging
import math
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final, Literal

import groq
import httpx
from groq._models import FinalRequestOptions

from twin.domain.answers import Reply
from twin.domain.prompt import ABSTENTION, NO_ANSWER_MARKER, Prompt
from twin.errors import BackendUnavailableError

SERVICE: Final = "groq"
type ReasoningEffort = Literal["low", "medium", "high"]
# The SDK logs whole requests, prompts included, at DEBUG: never let that reach the function's logs.
logging.getLogger("groq").setLevel(logging.INFO)
_SDK_PATH_PREFIX: Final = "/openai/v1"
# The last moment the current call may start a retry: its wait plus one full attempt still end within the budget.
_retry_cutoff: ContextVar[float] = ContextVar("groq_retry_cutoff", default=math.inf)
_QUOTES: Final = "\"'`“”‘’«»"
# The marker at the very start, in any case, maybe after quotes or Markdown emphasis, with what models put after it.
_ABSTAINS: Final = re.compile(rf"[\s{_QUOTES}*_]*{re.escape(NO_ANSWER_MARKER)}[\s*_:.,;\-–—]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int


class _OutOfTimeError(Exception):
    """Raised inside the SDK's retry loop, so its `__context__` is the failure that would have been retried."""


class _BudgetedGroq(groq.Groq):
    """The SDK's client and retries, but a retry waits for its whole `retry-after` (even above the SDK's 60 s cap)
    and is given up when it could not finish within the call's time budget."""

    def _calculate_retry_timeout(
        self, remaining_retries: int, options: FinalRequestOptions, response_headers: httpx.Headers | None = None
    ) -> float:
        wait = super()._calculate_retry_timeout(remaining_retries, options, response_headers)
        wait = max(wait, self._parse_retry_after_header(response_headers) or 0.0)
        if time.monotonic() + wait > _retry_cutoff.get():
            raise _OutOfTimeError
        return wait


class GroqModel:
    def __init__(
        self,
        api_key: str,
        *,
        model: str,
        temperature: float,
        max_tokens: int,
        timeout_seconds: float,
        max_retries: int,
        base_url: str | None = None,
        reasoning_effort: ReasoningEffort | None = None,
    ) -> None:
        self._model = model
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._timeout_seconds = timeout_seconds
        # Total time bound: each of the max_retries + 1 attempts gets an equal share of the budget, and a retry
        # starts only if its wait plus that share fit in what is left, so all attempts and waits end in time.
        self._attempt_seconds = timeout_seconds / (max_retries + 1)
        self._reasoning_effort = reasoning_effort
        http_client = None
        if base_url is not None:
            base_url = base_url.rstrip("/").removesuffix(_SDK_PATH_PREFIX)
            if base_url.endswith("/v1"):  # an OpenAI-style root: drop the path Groq's layout adds
                http_client = httpx.Client(event_hooks={"request": [_openai_layout]})
        self._client = _BudgetedGroq(
            api_key=api_key,
            base_url=base_url,
            timeout=self._attempt_seconds,
            max_retries=max_retries,
            http_client=http_client,
        )

    def answer(self, prompt: Prompt) -> Reply:
        if not prompt.passages:  # nothing to answer from: no need to ask
            return Reply(text=ABSTENTION, model=self._model, answered=False)
        completion = self.complete(prompt.messages())
        answered, text = _parsed(completion.text)
        return Reply(
            text=text,
            answered=answered,
            model=completion.model,
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
        )

    def complete(
        self, messages: list[dict[str, str]], *, max_tokens: int | None = None, json_object: bool = False
    ) -> Completion:
        """The model's reply to chat messages (`json_object`: in JSON mode), within the time budget. Raises
        BackendUnavailableError when it fails, or answers with nothing."""
        token = _retry_cutoff.set(time.monotonic() + self._timeout_seconds - self._attempt_seconds)
        try:
            completion = self._client.chat.completions.create(
                model=self._model,
                messages=messages,  # type: ignore[arg-type]  # the SDK's TypedDicts, as plain dicts
                temperature=self._temperature,
                max_tokens=max_tokens or self._max_tokens,
                reasoning_effort=self._reasoning_effort or groq.omit,
                response_format={"type": "json_object"} if json_object else groq.omit,
            )
        except _OutOfTimeError as spent:
            raise self._unavailable(spent.__context__) from None
        except (groq.GroqError, ValueError) as error:  # ValueError: a body that is not JSON
            raise self._unavailable(error) from None
        finally:
            _retry_cutoff.reset(token)
        try:
            text = (completion.choices[0].message.content or "").strip()
            usage = completion.usage
            model = completion.model
        except (AttributeError, IndexError, TypeError):  # not JSON at all, or not shaped like a chat completion
            raise BackendUnavailableError(SERVICE, "malformed_response") from None
        if not text:
            raise BackendUnavailableError(SERVICE, "empty_answer")
        return Completion(
            text=text,
            model=model if isinstance(model, str) and model else self._model,
            prompt_tokens=usage.prompt_tokens if usage is not None else 0,
            completion_tokens=usage.completion_tokens if usage is not None else 0,
        )

    def _unavailable(self, error: BaseException | None) -> BackendUnavailableError:
        if isinstance(error, groq.APIStatusError | httpx.HTTPStatusError):
            status = error.response.status_code
            retry_after = self._client._parse_retry_after_header(error.response.headers)
            return BackendUnavailableError(
                SERVICE, _status_reason(status), math.ceil(retry_after) if retry_after and retry_after > 0 else None
            )
        if isinstance(error, groq.APITimeoutError | httpx.TimeoutException):
            return BackendUnavailableError(SERVICE, "timeout")
        if isinstance(error, groq.APIConnectionError | httpx.TransportError):
            return BackendUnavailableError(SERVICE, "connection_error")
        return BackendUnavailableError(SERVICE, "malformed_response")


def _parsed(text: str) -> tuple[bool, str]:
    """Whether the model answered, and its text without the abstention marker."""
    marked = _ABSTAINS.match(text)
    if marked is None:
        return True, text
    return False, _unquoted(text[marked.end() :]) or ABSTENTION


def _unquoted(text: str) -> str:
    """The text without the quotes a model may have wrapped it in; a quote closing a quotation inside stays."""
    text = text.strip().lstrip(_QUOTES).strip()
    while text and text[-1] in _QUOTES and _unbalanced(text):
        text = text[:-1].rstrip()
    return text


def _unbalanced(text: str) -> bool:
    closing = text[-1]
    if closing in "'’":  # also an apostrophe: after a letter ("teams'") it stays
        return len(text) < 2 or not text[-2].isalnum()
    opening = {"”": "“", "»": "«"}.get(closing)
    if opening is None:  # a straight quote: one without a partner inside closes nothing
        return text.count(closing) % 2 == 1
    return text.count(closing) > text.count(opening)


def _openai_layout(request: httpx.Request) -> None:
    request.url = request.url.copy_with(path=request.url.path.replace(f"{_SDK_PATH_PREFIX}/", "/", 1))


def _status_reason(status: int) -> str:
    if status in (401, 403):
        return "unauthorized"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return f"server_error {status}"
    return f"http_error {status}"
