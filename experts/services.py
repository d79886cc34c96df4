"""Every write to experts."""

from django.db import transaction

from experts.models import Expert
from matching.text import terms_of


@transaction.atomic
def expert_save(*, expert: Expert) -> Expert:
    expert.full_clean(exclude=["match_terms"])
    expert.match_terms = terms_of(expert.search_texts())
    expert.save()
    return expert
