from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _


def index(request: HttpRequest) -> HttpResponse:
    greeting = _("Hello, world")
    return HttpResponse(f'<link rel="stylesheet" href="{static("pages/site.css")}"><p>{greeting}</p>')


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")
