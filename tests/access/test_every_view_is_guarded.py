"""Walks every URL pattern: each view must name an access rule, and few may be public."""

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_VIEWS = {
    "login",
    "health",
    "set_language",
    # Single sign-on (404 unless OIDC is configured).
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_view_names_its_access_rule():
    unguarded = [
        route
        for route, pattern in all_patterns()
        if getattr(pattern.callback, "access_rule", None) is None
    ]
    assert unguarded == []


def test_only_the_short_list_of_views_is_public():
    public = {
        pattern.name
        for _, pattern in all_patterns()
        if getattr(pattern.callback, "access_rule", None) == "public"
    }
    assert public == PUBLIC_VIEWS


def test_no_view_outside_the_public_list_skips_login():
    skipping = {
        pattern.name
        for _, pattern in all_patterns()
        if getattr(pattern.callback, "login_required", True) is False
    }
    assert skipping <= PUBLIC_VIEWS


def _declares_methods(callback) -> bool:
    """A class-based view answers 405 for methods it has no handler for; a function view must
    be wrapped by require_http_methods (require_GET, require_POST are the same)."""
    if getattr(callback, "view_class", None) is not None:
        return True
    view = callback
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and code.co_qualname.startswith("require_http_methods."):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def test_every_view_declares_the_http_methods_it_serves():
    undeclared = [
        route for route, pattern in all_patterns() if not _declares_methods(pattern.callback)
    ]
    assert "\n".join(undeclared) == ""
