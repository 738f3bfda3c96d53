from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "brygga.support"
    verbose_name = "Support"

    def ready(self) -> None:
        from brygga.cases.events import exit_date_changed
        from brygga.cases.panels import register_case_panel
        from brygga.cases.timeline import register_timeline_source
        from brygga.support import panels, services, state

        register_case_panel(panels.support_panel, part=True)
        register_timeline_source(panels.support_timeline)
        exit_date_changed.connect(
            services.replan_on_exit_date_change, dispatch_uid="support.replan_follow_ups"
        )
        state.connect()
