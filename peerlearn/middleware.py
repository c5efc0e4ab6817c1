"""Response headers Django has no setting for, and the signed-in person's language."""

from django.conf import settings
from django.utils import translation

# The site needs none of these browser features; a page that is tricked into asking
# for one gets a refusal without the browser ever prompting the person.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def permissions_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def person_language(get_response):
    """A signed-in person's pages are in their stored language, unless this browser chose
    one with the language switch."""

    def middleware(request):
        user = request.user
        chosen_here = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        if user.is_authenticated and user.language and not chosen_here:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware
