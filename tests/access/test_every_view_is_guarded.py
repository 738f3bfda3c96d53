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
