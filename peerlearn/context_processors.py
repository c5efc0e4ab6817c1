from django.conf import settings


def site(request):
    return {"show_mailbox": settings.SHOW_MAILBOX}
