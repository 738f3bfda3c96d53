from django.forms.renderers import TemplatesSetting


class BryggaFormRenderer(TemplatesSetting):
    """Every form field renders through one component: label, help, error next to the field."""

    form_template_name = "web/components/form.html"
    field_template_name = "web/components/field.html"
