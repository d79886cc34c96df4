"""The kinds of subject that publicities announce, each registered by its app."""

from collections.abc import Callable
from dataclasses import dataclass

from publicity.models import Publicity


@dataclass(frozen=True)
class Subject:
    """What the publicity app needs to know of a kind of subject, told by its app:

    name      how the API names it (`?subject=listing:12`)
    model     its model
    watchers  (subject) → the users told of an objection
    decides   (user, subject) → whether the account decides its objections
    decided   (objection, by) → None: what follows a decision (an upheld
              objection to a deal's result ends the deal)
    """

    name: str
    model: type
    watchers: Callable
    decides: Callable
    decided: Callable | None = None


SUBJECTS: dict[str, Subject] = {}


def register_subject(subject: Subject) -> None:
    SUBJECTS[subject.name] = subject


def subject_of(publicity: Publicity) -> Subject | None:
    model = publicity.subject_type.model_class()
    return next((s for s in SUBJECTS.values() if s.model is model), None)


def subject_name(publicity: Publicity) -> str:
    subject = subject_of(publicity)
    name = subject.name if subject else publicity.subject_type.model
    return f"{name}:{publicity.subject_id}"
