"""Who may object and who decides objections."""

from accounts.permissions import is_staff
from publicity.subjects import subject_of


def real_name_of(user) -> str:
    """The account's name as people write it in Chinese: family name first."""
    return f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()


def can_object(user, publicity) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and publicity.takes_objections()


def can_decide(user, publicity) -> bool:
    """Staff in charge of the subject (as its app says), else any staff."""
    subject = subject_of(publicity)
    if subject is not None:
        return subject.decides(user, publicity.subject)
    return is_staff(user)
