"""The password-reset form, aware of FIEP_LOCAL_LOGIN."""

from django.contrib.auth import forms as auth_forms

from .backends import local_login_allowed


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form; no reset e-mail to an account that may not log in with a password
    (FIEP_LOCAL_LOGIN=false: office staff and administrators use single sign-on). The page
    answers the same either way, so it reveals nothing about the account."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if local_login_allowed(user))
