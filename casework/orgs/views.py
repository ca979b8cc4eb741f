from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from casework import access
from casework.lib.forms import add_service_errors, submit
from casework.orgs import selectors, services
from casework.orgs.forms import MemberCreateForm, MemberRoleForm, OrganisationSettingsForm, RoleDecisionForm
from casework.security.services import sessions_end


@login_not_required
def language_switch(request):
    """Django's set_language, also remembered for a signed-in person: their e-mails and a device that
    has not chosen a language yet follow it."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.member_set_language(user=request.user, language=request.POST.get("language", ""))
    return response


def member_list(request):
    return render(request, "orgs/members.html", {"members": selectors.members_of_my_organisation(request.user)})


@transaction.non_atomic_requests  # the member is committed before the invitation goes (services.member_invite)
def member_create(request):
    m = access.require(request.user, "members.manage")
    form = MemberCreateForm(request.POST if request.method == "POST" else None, four_eyes=m.organisation.four_eyes)
    created = submit(form, lambda data: services.member_create(organisation=m.organisation, created_by=request.user,
                                                               **data))
    if not created:
        return render(request, "orgs/member_form.html", {"form": form})
    if not created.is_active:
        messages.success(request, _("Member added. They can sign in once a coordinator confirms their role."))
    else:
        messages.success(request, _("Member added."))
    return _invite(request, created)


def _invite(request, membership):
    """The invitation: by e-mail to the member; a one-time link shown here only where four-eyes is off and the
    member has no address (member_invite refuses it otherwise)."""
    try:
        path = services.member_invite(membership=membership, invited_by=request.user,
                                      show_link=not membership.user.email)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("member_detail", membership_id=membership.pk)
    if path is None:
        messages.success(request, _("An invitation to set a password was sent to the member's e-mail address."))
        return redirect("member_detail", membership_id=membership.pk)
    return render(request, "orgs/member_invited.html",
                  {"member": membership, "invitation_url": request.build_absolute_uri(path)})


@transaction.non_atomic_requests  # services.member_invite sends outside a transaction
@require_POST
def member_invite_again(request, membership_id):
    """A fresh set-password link, for a member who lost theirs or forgot their password."""
    return _invite(request, selectors.get_member_or_404(request.user, membership_id))


def member_detail(request, membership_id):
    membership = selectors.get_member_or_404(request.user, membership_id)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if form.is_valid():
        try:
            services.member_change_role(membership=membership, role=form.cleaned_data["role"], changed_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            waiting = selectors.pending_role_request(membership) is not None
            messages.success(request, _("The new role waits for a coordinator's confirmation.") if waiting
                             else _("Role changed."))
            return redirect("member_detail", membership_id=membership.pk)
    return render(request, "orgs/member_detail.html", {
        "member": membership, "form": form, "pending": selectors.pending_role_request(membership),
    })


@require_POST
def member_role_withdraw(request, membership_id):
    """The admin takes back a role waiting for confirmation; a second click finds nothing waiting."""
    membership = selectors.get_member_or_404(request.user, membership_id)
    if (pending := selectors.pending_role_request(membership)) is None:
        messages.info(request, _("Nothing is waiting for confirmation for this member."))
    else:
        try:
            services.role_request_withdraw(request=pending, withdrawn_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request was withdrawn."))
    return redirect("member_detail", membership_id=membership.pk)


@require_POST
def member_end_sessions(request, membership_id):
    """An admin ends every session of a member, e.g. after a phone is seized."""
    membership = selectors.get_member_or_404(request.user, membership_id)
    sessions_end(user=membership.user, ended_by=request.user)
    messages.success(request, _("All sessions of this member were ended."))
    return redirect("member_detail", membership_id=membership.pk)


@require_POST
def member_set_active(request, membership_id):
    membership = selectors.get_member_or_404(request.user, membership_id)
    active = request.POST.get("active") == "1"
    try:
        services.member_set_active(membership=membership, active=active, changed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not active:
            messages.success(request, _("Member deactivated."))
        elif selectors.pending_role_request(membership) is not None:
            messages.success(request, _("Reactivation waits for a coordinator's confirmation."))
        else:
            messages.success(request, _("Member reactivated."))
    return redirect("member_detail", membership_id=membership.pk)


def role_requests(request):
    """For a coordinator: the roles waiting for their confirmation, and who reaches client data now."""
    return render(request, "orgs/role_requests.html", {
        "members": selectors.members_with_client_data(request.user),
        "waiting": selectors.role_requests_waiting(request.user),
    })


@require_POST
def role_request_decide(request, request_id):
    """Confirm or refuse a waiting role (a coordinator, or a platform operator for an organisation without
    one). A second click, or a colleague's decision first, leaves the first outcome and says so."""
    role_request = selectors.get_role_request_or_404(request.user, request_id)
    form = RoleDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to confirm or refuse the role."))
    else:
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            services.role_request_decide(request=role_request, decided_by=request.user, confirm=confirm)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Role confirmed.") if confirm else _("Role refused."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("role_requests")


def organisation_settings(request):
    organisation = selectors.organisation_for_settings(request.user)
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)

    def save(data):
        values = {name: data[name] for name in services.ORGANISATION_SETTINGS}
        return services.organisation_settings_update(organisation=organisation, changed_by=request.user, **values)

    if (changed := submit(form, save)) is not None:
        messages.success(request, _("Settings saved.") if changed else _("Nothing was changed."))
        return redirect("organisation_settings")
    return render(request, "orgs/settings.html", {"form": form})
