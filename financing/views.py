from django.http import HttpResponse


def home(request):
    return HttpResponse("")


def register(request):
    return HttpResponse("")
