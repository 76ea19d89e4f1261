from django.db import models
from django.utils.translation import gettext_lazy as _


class LabelKind(models.TextChoices):
    ENVIRONMENTAL = "environmental", _("Environnemental")
    FAIR_TRADE = "fair_trade", _("Commerce équitable")
    SOCIAL = "social", _("Social")
