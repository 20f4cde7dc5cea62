from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class UserWithFacilityBackend(ModelBackend):
    """Loads the user with facility and regency: every page header shows them."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related("facility", "facility__parent", "regency")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
