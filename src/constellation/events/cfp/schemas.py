"""The cfp API's contract: a proposal as its presenters read it, and a new draft."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class PresenterOut(Schema):
    name: str
    role: str
    confirmed: bool


class ProposalOut(Schema):
    code: str
    title: str
    abstract: str
    state: str
    format: str | None
    track: str | None
    language: str
    topics: list[str]
    submitted_at: datetime | None
    presenters: list[PresenterOut]
    url: str


class ProposalList(Schema):
    items: list[ProposalOut]
    count: int


class ProposalIn(Schema):
    """A new draft. Only the title is needed; the call's other questions are needed to submit."""

    title: str = Field(..., min_length=1, max_length=300)
    abstract: str = Field("", max_length=20000)
    description: str = Field("", max_length=6000)
    format: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Id of a format open for proposals"
    )
    track: str | None = Field(None, max_length=60, description="Track slug")
    topics: list[str] = Field(default_factory=list, max_length=50, description="Topic slugs")
    language: str = Field("", max_length=10)
    audience: str = Field("", max_length=200)
    accessibility_needs: str = Field("", max_length=2000)
