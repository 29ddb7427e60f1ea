"""The wire shape of insights, for `GET /v1/admin/insights` and `twin insights --json`."""

from collections.abc import Mapping
from datetime import date

from pydantic import BaseModel, Field

from twin.domain.chunks import Chunk
from twin.domain.insights import CitedSection, Insights, QuestionCount
from twin.domain.profile import SectionType
from twin.domain.question_log import Channel


class ChannelTotals(BaseModel):
    public_chat: int = Field(description="Asked on the public chat page or its embedded widget.")
    public_mcp: int = Field(description="Asked through the public MCP endpoint (Claude, ChatGPT connectors).")
    rest: int = Field(description="Asked through `POST /v1/ask`.")
    mcp: int = Field(description="Asked through the private MCP endpoint (signed-in editors).")

    @classmethod
    def of(cls, counts: Mapping[Channel, int]) -> "ChannelTotals":
        return cls(**{channel.value: counts.get(channel, 0) for channel in Channel})


class DayTotals(BaseModel):
    day: date = Field(description="A UTC day.")
    total: int
    answered: int = Field(description="Of the day's questions, how many the profile held an answer to.")
    by_channel: ChannelTotals


class QuestionCountBody(BaseModel):
    question: str = Field(description="The most asked wording of the question; its near-duplicates count with it.")
    count: int

    @classmethod
    def of(cls, counted: QuestionCount) -> "QuestionCountBody":
        return cls(question=counted.question, count=counted.count)


class SectionBody(BaseModel):
    id: str = Field(description="Section id; `GET /v1/profile/sections/{id}` returns it in full.")
    title: str
    section: SectionType

    @classmethod
    def of(cls, chunk: Chunk) -> "SectionBody":
        return cls(id=chunk.id, title=chunk.title, section=chunk.type)


class CitedSectionBody(SectionBody):
    count: int = Field(description="How many answers cited it.")

    @classmethod
    def cited(cls, use: CitedSection) -> "CitedSectionBody":
        return cls(**SectionBody.of(use.section).model_dump(), count=use.count)


class InsightsResponse(BaseModel):
    days: int = Field(description="How many UTC days the insights cover, today's included.")
    since: date = Field(description="The first of those days.")
    total: int = Field(description="Questions asked (those the prompt-injection guard refused are never kept).")
    answered: int = Field(description="Of those, how many the profile held an answer to.")
    by_channel: ChannelTotals
    by_day: list[DayTotals] = Field(description="Every day of the window, oldest first.")
    top_questions: list[QuestionCountBody] = Field(description="The most asked questions, most asked first.")
    unanswered: list[QuestionCountBody] = Field(
        description="The questions the profile held no answer to, most asked first: what to add to the profile."
    )
    sections_cited: list[CitedSectionBody] = Field(description="The profile's sections answers cited, most first.")
    sections_never_cited: list[SectionBody] = Field(description="The profile's sections no answer cited.")

    @classmethod
    def of(cls, insights: Insights) -> "InsightsResponse":
        return cls(
            days=len(insights.by_day),
            since=insights.first_day,
            total=insights.total,
            answered=insights.answered,
            by_channel=ChannelTotals.of(insights.by_channel),
            by_day=[
                DayTotals(
                    day=day.day, total=day.total, answered=day.answered, by_channel=ChannelTotals.of(day.by_channel)
                )
                for day in insights.by_day
            ],
            top_questions=[QuestionCountBody.of(counted) for counted in insights.top_questions],
            unanswered=[QuestionCountBody.of(counted) for counted in insights.unanswered],
            sections_cited=[CitedSectionBody.cited(use) for use in insights.sections_cited],
            sections_never_cited=[SectionBody.of(chunk) for chunk in insights.sections_never_cited],
        )
