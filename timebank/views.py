from django.shortcuts import render


def home(request):
    """Explains the time bank and sends each kind of visitor on."""
    return render(request, "home.html")
