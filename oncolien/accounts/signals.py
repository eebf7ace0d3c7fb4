"""Log-ins, log-outs, failed log-ins and lock-outs go to the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from oncolien.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", target=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The password is never recorded; the username tried is (truncated).
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action="auth.login_failed", details={"username": username})


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        actor=None, action="auth.locked_out", details={"username": str(username or "")[:150]}
    )
