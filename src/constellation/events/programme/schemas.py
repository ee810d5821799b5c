"""The programme API's contract: explicit fields only."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class EventOut(Schema):
    slug: str
    name: str
    start_date: date
    end_date: date
    time_zone: str
    venue_name: str
    city: str
    country: str
    network: str
    is_published: bool
    programme_published: bool
    url: str


class TrackOut(Schema):
    slug: str
    name: str
    colour: str


class PresenterOut(Schema):
    name: str
    organisation: str


class SessionOut(Schema):
    code: str
    title: str
    abstract: str
    language: str
    format: str
    track: TrackOut | None
    room: str
    start: datetime
    end: datetime
    presenters: list[PresenterOut]
    url: str


class EventList(Schema):
    items: list[EventOut]
    count: int


class SessionList(Schema):
    items: list[SessionOut]
    count: int
