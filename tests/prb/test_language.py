from django.urls import reverse


def test_the_interface_is_indonesian_whatever_the_browser_asks(world, client) -> None:
    client.force_login(world.dokter1)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Beranda" in body and "Program Rujuk Balik" in body
