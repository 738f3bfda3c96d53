"""Browser assertions wait for the page: a bare ``is_visible()`` does not.

``Locator.is_visible()`` answers at once, so ``assert x.is_visible()`` right after
a click races the navigation it started (a CI run failed that way). Playwright's
``expect(...)`` retries until its timeout. This check keeps the class from coming back.
"""

from __future__ import annotations

import ast
import pathlib

HERE = pathlib.Path(__file__).parent


def racing_assertions(source: str) -> list[int]:
    """Line numbers of ``assert`` statements that call ``is_visible()``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            for inner in ast.walk(node.test):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr in {"is_visible", "is_hidden"}
                ):
                    found.append(node.lineno)
                    break
    return found


def test_the_check_finds_an_assertion_on_is_visible():
    assert racing_assertions("assert page.get_by_text('x').is_visible()\n") == [1]
    assert racing_assertions("expect(page.get_by_text('x')).to_be_visible()\n") == []


def test_no_browser_test_asserts_on_is_visible():
    offenders = {
        path.name: lines
        for path in sorted(HERE.glob("test_*.py"))
        if (lines := racing_assertions(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
    assert len(list(HERE.glob("test_*.py"))) > 5  # the walk did look at the tests
