"""Ask: a question in, a first-person answer with its sources out, cached and remembered per session."""

import hashlib
import json
import re
from dataclasses import asdict, replace

from twin.domain import limits
from twin.domain.answers import Answer, Source, Turn
from twin.domain.profile import SectionType
from twin.domain.prompt import Prompt
from twin.ports import Cache, ChatModel, ProfileStore, SessionStore, VectorIndex
from twin.services import validation
from twin.services.profile import ProfileService

# Follow-ups such as "what did you achieve there?" name nothing to search for on their own.
_REFERS_BACK = re.compile(r"\b(there|that|this|it|they|them|those|these|then|he|she)\b", re.IGNORECASE)
_UNKNOWN_PERSONA = "the candidate"


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
    ) -> None:
        self._twin_id = twin_id
        self._index = index
        self._profile = ProfileService(twin_id=twin_id, index=index, profiles=profiles)
        self._cache = cache
        self._sessions = sessions
        self._model = model
        self._cache_ttl_seconds = cache_ttl_seconds

    def ask(
        self, question: str, *, session_id: str | None = None, top_k: int = limits.DEFAULT_TOP_K
    ) -> Answer:
        question = validation.question_text(question)
        top_k = validation.top_k(top_k)
        session_id = validation.session_id(session_id)
        profile = self._profile.current()
        history = tuple(self._sessions.history(session_id))
        key = _cache_key(self._twin_id, profile.version, question, history, top_k)

        cached = self._cache.get(key)
        if cached is not None:
            answer = replace(_decode(cached), cached=True, session_id=session_id)
        else:
            passages = self._index.query(self._twin_id, _retrieval_text(question, history), top_k=top_k)
            prompt = Prompt(profile.name or _UNKNOWN_PERSONA, question, tuple(passages), history)
            reply = self._model.answer(prompt)
            answer = Answer(
                text=reply.text,
                sources=tuple(Source.of(hit) for hit in passages),
                model=reply.model,
                cached=False,
                session_id=session_id,
            )
            self._cache.set(key, _encode(answer), self._cache_ttl_seconds)
        self._sessions.append(session_id, Turn(question=question, answer=answer.text))
        return answer


def normalize(question: str) -> str:
    return " ".join(question.lower().split()).rstrip(" ?!.")


def _retrieval_text(question: str, history: tuple[Turn, ...]) -> str:
    if history and _REFERS_BACK.search(question):
        return f"{question} {history[-1].question}"
    return question


def _cache_key(twin_id: str, version: int, question: str, history: tuple[Turn, ...], top_k: int) -> str:
    context = [[turn.question, turn.answer] for turn in history]
    material = json.dumps([normalize(question), top_k, context], ensure_ascii=False)
    return f"answer:{twin_id}:v{version}:{hashlib.sha256(material.encode()).hexdigest()}"


def _encode(answer: Answer) -> str:
    return json.dumps(asdict(answer), ensure_ascii=False)


def _decode(value: str) -> Answer:
    data = json.loads(value)
    sources = tuple(
        Source(**{**source, "section": SectionType(source["section"])}) for source in data["sources"]
    )
    return Answer(**{**data, "sources": sources})
