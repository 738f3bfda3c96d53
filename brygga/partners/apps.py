from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "brygga.partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from brygga.cases.panels import register_case_panel
        from brygga.partners import panels, queries, signals
        from brygga.support.panels import register_plan_item_badges
        from brygga.support.signals import register_signal_source

        register_case_panel(panels.partners_panel)
        register_plan_item_badges(queries.referral_badges)
        register_signal_source(signals.unanswered_referral_signals, never_severe=True)
