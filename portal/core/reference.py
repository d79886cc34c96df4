"""Reference data shared by every library: one place each (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TechField(models.TextChoices):
    """The 11 technology fields of national technology-market statistics."""

    ELECTRONICS = "electronics", _("Electronic information")
    AEROSPACE = "aerospace", _("Aerospace")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    BIOMED = "biomed", _("Biology, medicine and medical devices")
    MATERIALS = "materials", _("New materials and their applications")
    ENERGY = "energy", _("New energy and energy efficiency")
    ENVIRONMENT = "environment", _("Environmental protection and resource recycling")
    NUCLEAR = "nuclear", _("Nuclear applications")
    AGRICULTURE = "agriculture", _("Agriculture")
    TRANSPORT = "transport", _("Modern transport")
    URBAN = "urban", _("Urban construction and social development")


class Industry(models.TextChoices):
    """Industry clusters that the province favours; an item may have several."""

    OPTICS_CHIPS = "optics_chips", _("Optics, chips, displays, terminals and networks")
    HEALTH = "health", _("Health and biomedicine")
    SMART_MFG = "smart_mfg", _("Intelligent equipment manufacturing")
    MATERIALS = "materials", _("New materials")
    NEV = "nev", _("New energy and intelligent connected vehicles")
    GREEN_CHEM = "green_chem", _("Green chemicals")
    DIGITAL = "digital", _("Digital economy")
    AGRI = "agri", _("Modern agriculture")


class TRL(models.IntegerChoices):
    """Technology readiness levels of GB/T 22900-2022."""

    BASIC_PRINCIPLES = 1, _("Basic principles")
    CONCEPT = 2, _("Technology concept or scheme")
    PROOF_OF_FUNCTION = 3, _("Key functions verified by experiment")
    LAB_COMPONENT = 4, _("Components or modules verified in the laboratory")
    RELEVANT_COMPONENT = 5, _("Components verified in a relevant environment")
    RELEVANT_SYSTEM = 6, _("System prototype demonstrated in a relevant environment")
    REAL_PROTOTYPE = 7, _("Prototype tested in the real environment")
    QUALIFIED = 8, _("Design finalised and verified")
    OPERATIONAL = 9, _("Actual operation and industrialisation")
