from .road_map import forget_summaries


def forget_road_map_on_change(get_response):
    """A form sent successfully on an initiative's page may close a road map item or
    change a figure: the initiative page then shows its road map afresh, the dashboard its
    figures (see road_map.recently_computed)."""

    def middleware(request):
        response = get_response(request)
        match = request.resolver_match
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and response.status_code < 400
            and match
            and str(match.route).startswith("initiatives/<int:pk>/")
        ):
            forget_summaries(match.kwargs["pk"])
        return response

    return middleware
