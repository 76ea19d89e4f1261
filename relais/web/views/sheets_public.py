from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return render(request, "web/home.html")
