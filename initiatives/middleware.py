from peerlearn import freshness


def forget_road_map_on_change(get_response):
    """A form sent successfully changes what pages may keep for a moment: the stamp of
    the person who sent it and, on an initiative's pages, the initiative's (see
    peerlearn.freshness)."""

    def middleware(request):
        response = get_response(request)
        if request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            freshness.changed(freshness.person(user.pk))
        match = request.resolver_match
        if match and str(match.route).startswith("initiatives/<int:pk>/"):
            freshness.changed(freshness.initiative(match.kwargs["pk"]))
        return response

    return middleware
