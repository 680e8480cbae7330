"""No module of the project grows past 500 lines (migrations and tests aside):
past that, a module holds more than one idea, and a newcomer cannot hold it."""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500


def test_no_module_is_over_500_lines():
    ours = [
        folder
        for folder in (Path(config.path) for config in apps.get_app_configs())
        if folder.is_relative_to(ROOT) and not folder.is_relative_to(ROOT / ".venv")
    ]
    modules = [
        path for folder in ours for path in folder.rglob("*.py") if "migrations" not in path.parts
    ]
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert {folder.name for folder in ours} >= {"api", "series", "timebank"}
    assert too_long == {}
