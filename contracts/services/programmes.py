"""Subsidy programmes: the subsidy's rules, as data, set by central staff."""

from __future__ import annotations

from django.db import transaction

from contracts.models import (
    SubsidyLedger,
    SubsidyProgram,
)
from contracts.services.common import _require_central
from portal.core.audit import audit_log
from portal.core.locks import for_update


@transaction.atomic
def program_save(*, by, program: SubsidyProgram) -> SubsidyProgram:
    """Create or change a programme's rules.

    A new cap reaches the enterprises' existing ledgers at once, for what
    remains to be granted: a ledger's cap becomes the new cap, but never less
    than what that enterprise was already granted (money paid out is not taken
    back; it just cannot grow).
    """
    _require_central(by)
    program.full_clean()
    before = (
        for_update(SubsidyProgram.objects)
        .filter(pk=program.pk)
        .values(*SubsidyProgram.RULES)
        .first()
        if program.pk
        else None
    )
    program.save()
    after = {name: getattr(program, name) for name in SubsidyProgram.RULES}
    changed = {
        name: [str(before[name]), str(after[name])]
        for name in SubsidyProgram.RULES
        if before is not None and before[name] != after[name]
    }
    capped = 0
    if before is not None and before["cap"] != program.cap:
        # Lock order: the ledgers, as an approval takes them.
        ledgers = for_update(SubsidyLedger.objects).filter(program=program)
        for ledger in ledgers:
            new_cap = max(program.cap, ledger.granted_total)
            if new_cap != ledger.cap:
                SubsidyLedger.objects.filter(pk=ledger.pk).update(cap=new_cap)
                capped += 1
    audit_log(
        action="contracts.program.saved",
        actor=by,
        target=program,
        data={"created": before is None, "changed": changed, "ledgers_recapped": capped},
    )
    return program
