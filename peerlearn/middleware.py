"""Response headers Django has no setting for, and the signed-in person's language."""

from django.conf import settings
from django.utils import translation

from .models import User

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
    one with the language switch; a person with none stored keeps the one they see now."""

    def middleware(request):
        user = request.user
        if user.is_authenticated:
            if not user.language:
                user.language = translation.get_language()
                User.objects.filter(pk=user.pk, language="").update(language=user.language)
            elif settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware
