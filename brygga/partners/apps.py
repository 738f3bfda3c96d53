from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "brygga.partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.partners import panels, queries
        from brygga.support.panels import register_plan_item_badges

        register_case_panel(panels.partners_panel)
        register_plan_item_badges(queries.referral_badges)
