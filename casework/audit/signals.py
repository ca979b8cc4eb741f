"""Sign-in, failed sign-in and sign-out go to the audit trail; the receivers only call the service."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from casework.audit.models import Action
from casework.audit.services import audit_record
from casework.orgs.models import Membership


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.SIGN_IN, request=request)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=Action.SIGN_OUT, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    """What was typed is never stored (a mistyped username may be someone's name): only the account
    it names, if there is one, and the address. Attempts on a deactivated account still reach its
    organisation's trail."""
    User = get_user_model()
    username = credentials.get(User.USERNAME_FIELD)
    actor = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    m = Membership.objects.select_related("organisation").filter(user=actor).first() if actor else None
    audit_record(actor=actor, action=Action.SIGN_IN_FAILED, organisation=m.organisation if m else None, request=request)
