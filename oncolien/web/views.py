from django.shortcuts import render

from oncolien.web.home import sections_for


def home(request):
    sections = []
    if request.user.is_authenticated:
        memberships = list(request.user.memberships.select_related("cpts").order_by("role"))
        sections = sections_for(request.user, memberships)
    return render(request, "web/home.html", {"sections": sections})


def error_403(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"title": "Accès refusé", "message": "Vous n'avez pas accès à cette page."},
        status=403,
    )


def error_404(request, exception=None):
    return render(
        request,
        "web/error.html",
        {
            "title": "Page introuvable",
            "message": "Cette page n'existe pas ou vous n'y avez pas accès.",
        },
        status=404,
    )


def error_500(request):
    return render(
        request,
        "web/error.html",
        {
            "title": "Erreur du serveur",
            "message": "Une erreur est survenue. Elle a été enregistrée ; réessayez dans quelques instants.",
        },
        status=500,
    )
