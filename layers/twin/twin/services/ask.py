"""Ask: a question in, a first-person answer with its sources out, cached and remembered per session."""

import hashlib
import json
from dataclasses import asdict, replace

from twin.domain import limits
from twin.domain.answers import Answer, Source, Turn
from twin.domain.profile import SectionType
from twin.domain.prompt import Prompt
from twin.domain.questions import understand
from twin.ports import Cache, ChatModel, ProfileStore, SessionStore, Telemetry, VectorIndex
from twin.security.identity import Principal, PrincipalKind
from twin.services import validation
from twin.services.guard import refusal_for
from twin.services.profile import ProfileService
from twin.services.retrieval import retrieve
from twin.services.sessions import conversation_key

_UNKNOWN_PERSONA = "the candidate"
ANONYMOUS = Principal(PrincipalKind.LOCAL, "anonymous")
# Part of every cache key: a deploy that changes what an answer holds (`answered`, cited sources) or how it
# is composed must not serve answers cached by the code before it.
ANSWER_FORMAT = "f2"
GUARD_MODEL = "guard"


class AskService:
    def __init__(
        self,
        *,
        twin_id: str,
        index: VectorIndex,
        profiles: ProfileStore,
        cache: Cache,
        sessions: SessionStore,
        model: ChatModel,
        cache_ttl_seconds: int,
        telemetry: Telemetry,
    ) -> None:
        self._twin_id = twin_id
        self._index = index
        self._profile = ProfileService(twin_id=twin_id, index=index, profiles=profiles)
        self._cache = cache
        self._sessions = sessions
        self._model = model
        self._cache_ttl_seconds = cache_ttl_seconds
        self._telemetry = telemetry

    def ask(
        self,
        question: str,
        *,
        session_id: str | None = None,
        top_k: int = limits.DEFAULT_TOP_K,
        owner: Principal = ANONYMOUS,
    ) -> Answer:
        """`owner` is who asks: a session belongs to its owner, so nobody else can read or extend it."""
        question = validation.question_text(question)
        top_k = validation.top_k(top_k)
        session_id = validation.session_id(session_id)
        conversation = conversation_key(owner, session_id)
        refusal = refusal_for(question)
        if refusal is not None:
            self._telemetry.count("QuestionRefused")
            answer = Answer(text=refusal, sources=(), model=GUARD_MODEL, cached=False, session_id=session_id)
        else:
            answer = self._answer(question, session_id, top_k, tuple(self._sessions.history(conversation)))
        self._telemetry.annotate(
            cached=answer.cached, model=answer.model, fallback=answer.fallback, answered=answer.answered
        )
        self._sessions.append(conversation, Turn(question=question, answer=answer.text))
        return answer

    def _answer(self, question: str, session_id: str, top_k: int, history: tuple[Turn, ...]) -> Answer:
        profile = self._profile.current()
        key = _cache_key(self._twin_id, profile.version, question, history, top_k)
        with self._telemetry.timed("Cache"):
            cached = self._cache.get(key)
        if cached is not None:
            self._telemetry.count("AnswerCacheHit")
            return replace(_decode(cached), cached=True, session_id=session_id)
        self._telemetry.count("AnswerCacheMiss")
        understood = understand(question, history[-1].question if history else None)
        passages = retrieve(self._index, self._telemetry, self._twin_id, understood, top_k=top_k)
        with self._telemetry.timed("Model"):
            reply = self._model.answer(Prompt(profile.name or _UNKNOWN_PERSONA, question, tuple(passages), history))
        self._telemetry.count("PromptTokens", reply.prompt_tokens)
        self._telemetry.count("CompletionTokens", reply.completion_tokens)
        answer = Answer(
            text=reply.text,
            sources=tuple(Source.of(hit, understood) for hit in passages) if reply.answered else (),
            model=reply.model,
            cached=False,
            session_id=session_id,
            fallback=reply.fallback,
            answered=reply.answered,
        )
        if not answer.fallback:  # a stand-in answer must not outlive the model's outage
            with self._telemetry.timed("Cache"):
                self._cache.set(key, _encode(answer), self._cache_ttl_seconds)
        return answer


def normalize(question: str) -> str:
    return " ".join(question.lower().split()).rstrip(" ?!.")


def _cache_key(twin_id: str, version: int, question: str, history: tuple[Turn, ...], top_k: int) -> str:
    context = [[turn.question, turn.answer] for turn in history]
    material = json.dumps([normalize(question), top_k, context], ensure_ascii=False)
    digest = hashlib.sha256(material.encode()).hexdigest()
    return f"answer:{ANSWER_FORMAT}:{twin_id}:v{version}:{digest}"


def _encode(answer: Answer) -> str:
    return json.dumps(asdict(answer), ensure_ascii=False)


def _decode(value: str) -> Answer:
    data = json.loads(value)
    sources = tuple(Source(**{**source, "section": SectionType(source["section"])}) for source in data["sources"])
    return Answer(**{**data, "sources": sources})
