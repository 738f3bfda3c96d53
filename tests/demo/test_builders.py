"""The demo app runs every app's builder; the builders are leaves that never import it."""

import importlib.util
from pathlib import Path

from django.apps import apps

from brygga.demo.builders import app_builders


def _apps_with_a_demo_module() -> list[str]:
    return [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("brygga.")
        and config.name != "brygga.demo"
        and importlib.util.find_spec(f"{config.name}.demo") is not None
    ]


def test_every_apps_demo_builder_runs_in_the_order_of_installed_apps():
    listed = [build.__module__.removesuffix(".demo") for build in app_builders()]
    assert "brygga.support" in listed  # positive marker: the list is the real one
    assert listed == _apps_with_a_demo_module()


def test_no_demo_builder_imports_the_demo_app():
    root = Path(apps.get_app_config("demo").path).parent
    builders = sorted(root.glob("*/demo.py"))
    assert root / "support" / "demo.py" in builders
    for path in builders:
        source = path.read_text(encoding="utf-8")
        assert "def build(world" in source, path
        assert "brygga.demo" not in source, path
