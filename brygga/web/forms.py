from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _

DJANGO_BLANK = "---------"


class BryggaFormRenderer(TemplatesSetting):
    """Every form field renders through one component: label, help, error next to the field."""

    form_template_name = "web/components/form.html"
    field_template_name = "web/components/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # A drop-down's empty choice says what to do, not Django's "---------".
        widget = context.get("widget")
        if isinstance(widget, dict):
            for _group, options, _index in widget.get("optgroups", ()):
                for option in options:
                    if option.get("label") == DJANGO_BLANK and option.get("value") in ("", None):
                        option["label"] = _("Välj …")
        return super().render(template_name, context, request)
