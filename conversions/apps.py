from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversionsConfig(AppConfig):
    name = "conversions"
    verbose_name = _("High-tech conversion project library")

    def ready(self):
        from accounts.permissions import is_central
        from accounts.selectors import people_of
        from conversions.models import ConversionProject
        from publicity.subjects import Subject, register_subject

        register_subject(
            Subject(
                name="conversion_project",
                model=ConversionProject,
                watchers=lambda project: people_of(project.applicant_id),
                decides=lambda user, project: is_central(user),
            )
        )

        from conversions import selectors as _selectors
        from portal.core import registry as _registry

        _registry.add_review_section(
            _registry.Section(
                "conversions",
                _("Conversion projects to review"),
                "portal/_registry_queue.html",
                _selectors.projects_to_review,
                order=100,
                queued_at="updated_at",
                organization="applicant",
                title="name",
            )
        )
