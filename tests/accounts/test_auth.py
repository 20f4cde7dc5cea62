from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import PASSWORD


def test_login_shows_the_home_page_in_indonesian(world, client) -> None:
    response = client.post(
        reverse("login"), {"username": "dokter1", "password": PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Program Rujuk Balik (PRB)" in body
    assert 'lang="id"' in body


def test_pages_need_a_login(world, client) -> None:
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_wrong_password_gets_an_indonesian_message(world, client) -> None:
    response = client.post(reverse("login"), {"username": "dokter1", "password": "salah"})
    body = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in body
    assert "nama pengguna nama pengguna" not in body.lower()  # no doubled words
    assert "_auth_user_id" not in client.session


def test_the_account_locks_after_repeated_failures(world, client) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dokter1", "password": "salah"})
    response = client.post(reverse("login"), {"username": "dokter1", "password": PASSWORD})
    assert response.status_code == 429
    assert "Akun terkunci" in response.content.decode()


def test_sessions_end_after_thirty_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_password_reset_sends_an_email(world, client) -> None:
    client.post(reverse("password_reset"), {"email": world.dokter1.email})
    assert len(mail.outbox) == 1
    assert world.dokter1.email in mail.outbox[0].to


def test_password_change(world, client) -> None:
    client.force_login(world.dokter1)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Rujuk-Balik-2027!",
            "new_password2": "Rujuk-Balik-2027!",
        },
    )
    assert response.status_code == 302
    world.dokter1.refresh_from_db()
    assert world.dokter1.check_password("Rujuk-Balik-2027!")


def test_navigation_follows_the_role(world, client) -> None:
    client.force_login(world.farmasi1)
    nav = client.get(reverse("home")).context["nav_items"]
    assert [item["url"] for item in nav if item["url"] == reverse("patients:list")]
    client.force_login(world.dinkes_a)
    nav = client.get(reverse("home")).context["nav_items"]
    assert not [item for item in nav if item["url"] == reverse("patients:list")]


def test_only_the_current_section_is_marked_in_the_navigation(world, client) -> None:
    client.force_login(world.dokter1)
    nav = client.get(reverse("referrals:case_list")).context["nav_items"]
    active = [item["url"] for item in nav if item["active"]]
    assert active == [reverse("referrals:case_list")]
