"""Interview preparation: prepared questions and weaknesses with how they are handled."""

from twin.domain.profile import Section, SectionType
from twin.profiles.fields import Fields
from twin.profiles.json_values import JsonValue, children, entries
from twin.profiles.keys import humanise, key_words, lower_label, match_key
from twin.profiles.phrasing import join_sentences, sentence, short_title
from twin.profiles.rendering import render

_QUESTIONS = frozenset({"commonquestions", "questions", "practicequestions", "interviewquestions"})
_WEAKNESS = ("weakness", "area", "challenge")
_MITIGATION = ("mitigation", "how_i_handle_it", "how_i_mitigate", "improvement", "plan", "strategy")
_WEAKNESSES = frozenset({"weaknessmitigation", "weaknesses", "weakness"})


def interview(key: str, value: JsonValue, path: str) -> list[Section]:
    if not isinstance(value, dict):
        text = sentence(f"Interview preparation: {render(value)}")
        return [Section(path, SectionType.INTERVIEW, "Interview preparation", text)]
    sections: list[Section] = []
    for name, item, item_path in children(value, path):
        if match_key(name) in _QUESTIONS and isinstance(item, dict):
            sections.extend(_questions(*group) for group in children(item, item_path))
        elif match_key(name) in _QUESTIONS:
            sections.append(_questions("", item, item_path))
        elif match_key(name) in _WEAKNESSES:
            sections.extend(_weakness(entry, entry_path) for entry_path, entry in entries(item, item_path))
        else:
            text = sentence(f"Interview preparation — {lower_label(humanise(name))}: {render(item)}")
            sections.append(Section(item_path, SectionType.INTERVIEW, humanise(name), text))
    return sections


def _questions(group: str, questions: JsonValue, path: str) -> Section:
    label = lower_label(humanise(group))
    has_word = "question" in " ".join(key_words(group))
    kind = label if has_word else " ".join(part for part in (label, "questions") if part)
    title = humanise(group) if has_word else " ".join(part for part in (humanise(group), "interview questions") if part)
    text = sentence(f"Interview preparation — {kind} I have prepared for: {render(questions)}")
    return Section(path, SectionType.INTERVIEW, title[:1].upper() + title[1:], text)


def weaknesses(key: str, value: JsonValue, path: str) -> list[Section]:
    return [_weakness(entry, entry_path) for entry_path, entry in entries(value, path)]


def _weakness(item: JsonValue, path: str) -> Section:
    fields = Fields.of(item, _WEAKNESS, _MITIGATION)
    weakness = fields.text(*_WEAKNESS)
    mitigation = fields.text(*_MITIGATION)
    text = join_sentences(
        f"A weakness and how I handle it: {weakness}" if weakness else "A weakness and how I handle it",
        f"Mitigation: {mitigation}" if mitigation else "",
        fields.rest_text() if isinstance(item, dict) else render(item),
    )
    title = f"Weakness: {short_title(weakness, 6)}" if weakness else "Weakness and how I handle it"
    return Section(path, SectionType.INTERVIEW, title, text)
