"""The home page: it gathers the tiles each app's selectors give for the user."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.tiles import Tile
from alerts import selectors as alerts_selectors
from pharmacy import selectors as pharmacy_selectors
from referrals import selectors as referrals_selectors

# In the order the home page shows them: intake, clinical follow-up, pharmacy.
TILE_SOURCES: tuple[Callable[..., list[Tile]], ...] = (
    referrals_selectors.home_tiles,
    alerts_selectors.home_tiles,
    pharmacy_selectors.home_tiles,
)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    tiles = [tile for source in TILE_SOURCES for tile in source(user=request.user)]
    return render(request, "home.html", {"tiles": tiles})
