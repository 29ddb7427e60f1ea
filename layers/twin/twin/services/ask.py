"""Ask: a question in, a first-person answer with its sources out, cached and remembered per session."""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import replace

from twin.domain import limits
from twin.domain.answers import Answer, Source, Turn
from twin.domain.profile import IndexedProfile
from twin.domain.prompt import Prompt
from twin.domain.question_log import Asked, Channel
from twin.domain.questions import understand
from twin.errors import ProfileNotIngestedError
from twin.ports import AskStore, ChatModel, Telemetry, VectorIndex
from twin.security.identity import Principal, PrincipalKind
from twin.services import validation
from twin.services.guard import refusal_for
from twin.services.retrieval import retrieve
from twin.services.sessions import conversation_key

_UNKNOWN_PERSONA = "the candidate"
ANONYMOUS = Principal(PrincipalKind.LOCAL, "anonymous")
# Part of every cache key: a deploy that changes what an answer holds (`answered`, cited sources), how it is
# composed or how the cache keeps it must not serve (or trip over) answers cached by the code before it.
ANSWER_FORMAT = "f5"
GUARD_MODEL = "guard"


class AskService:
    def __init__(
        self,
        *,
        twin_id: str,
        index: VectorIndex,
        store: AskStore,
        model: ChatModel,
        telemetry: Telemetry,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._twin_id = twin_id
        self._index = index
        self._store = store
        self._model = model
        self._telemetry = telemetry
        self._clock = clock

    def ask(
        self,
        question: str,
        *,
        session_id: str | None = None,
        top_k: int = limits.DEFAULT_TOP_K,
        owner: Principal = ANONYMOUS,
        channel: Channel | None = None,
    ) -> Answer:
        """`owner` is who asks: a session belongs to its owner, so nobody else can read or extend it. A question that
        came in on a `channel` joins the question log with its answer (the store's, if it keeps one)."""
        question = validation.question_text(question)
        top_k = validation.top_k(top_k)
        session_id = validation.session_id(session_id)
        conversation = conversation_key(owner, session_id)
        profile, turns = self._store.open(self._twin_id, conversation)
        if profile is None:
            raise ProfileNotIngestedError(self._twin_id)
        refusal = refusal_for(question, owner=profile.name)
        if refusal is not None:
            self._telemetry.count("QuestionRefused")
            # Neither remembered nor logged: the conversation's later prompts must not carry the attempt to the model.
            answer = Answer(text=refusal, sources=(), model=GUARD_MODEL, cached=False, session_id=session_id)
        else:
            log = Asked.of(question, channel, self._clock()) if channel is not None else None
            answer = self._answered(profile, conversation, question, session_id, top_k, tuple(turns), log)
            if not answer.answered:
                self._telemetry.count("QuestionUnanswered")
        self._telemetry.annotate(
            cached=answer.cached, model=answer.model, fallback=answer.fallback, answered=answer.answered
        )
        return answer

    def _answered(
        self,
        profile: IndexedProfile,
        conversation: str,
        question: str,
        session_id: str,
        top_k: int,
        history: tuple[Turn, ...],
        log: Asked | None,
    ) -> Answer:
        key = _cache_key(profile.namespace, question, history, top_k)
        with self._telemetry.timed("Cache"):
            cached = self._store.recall(key, conversation, question, log=log)
        if cached is not None:
            self._telemetry.count("AnswerCacheHit")
            return replace(cached, cached=True, session_id=session_id)
        self._telemetry.count("AnswerCacheMiss")
        answer = self._answer(profile, question, session_id, top_k, history)
        # A stand-in answer must not outlive the model's outage.
        with self._telemetry.timed("Cache"):
            self._store.record(conversation, question, answer, cache_key=None if answer.fallback else key, log=log)
        return answer

    def _answer(
        self, profile: IndexedProfile, question: str, session_id: str, top_k: int, history: tuple[Turn, ...]
    ) -> Answer:
        understood = understand(question, history[-1].question if history else None)
        passages = retrieve(self._index, self._telemetry, profile.namespace, understood, top_k=top_k)
        with self._telemetry.timed("Model"):
            reply = self._model.answer(Prompt(profile.name or _UNKNOWN_PERSONA, question, tuple(passages), history))
        self._telemetry.count("PromptTokens", reply.prompt_tokens)
        self._telemetry.count("CompletionTokens", reply.completion_tokens)
        return Answer(
            text=reply.text,
            sources=tuple(Source.of(hit, understood) for hit in passages) if reply.answered else (),
            model=reply.model,
            cached=False,
            session_id=session_id,
            fallback=reply.fallback,
            answered=reply.answered,
        )


def normalize(question: str) -> str:
    return " ".join(question.lower().split()).rstrip(" ?!.")


def _cache_key(namespace: str, question: str, history: tuple[Turn, ...], top_k: int) -> str:
    """Keyed on the namespace of the version answered from, which names its twin, number and chunks: an answer
    is never served from another profile, even one that reached the same version number elsewhere."""
    context = [[turn.question, turn.answer] for turn in history]
    material = json.dumps([normalize(question), top_k, context], ensure_ascii=False)
    digest = hashlib.sha256(material.encode()).hexdigest()
    return f"answer:{ANSWER_FORMAT}:{namespace}:{digest}"
