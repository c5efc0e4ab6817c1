from .road_map import forget_summaries


def forget_road_map_on_change(get_response):
    """A form sent successfully on an initiative's page may close a road map item or change
    what its pages list: they then show it afresh (see road_map.kept_a_while)."""

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
