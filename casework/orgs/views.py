from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from casework import access
from casework.lib.forms import add_service_errors, submit
from casework.orgs import selectors, services
from casework.orgs.forms import MemberCreateForm, MemberRoleForm
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


def member_create(request):
    m = access.require(request.user, "members.manage")
    form = MemberCreateForm(request.POST or None)
    if (membership := submit(form, lambda data: services.member_create(organisation=m.organisation, **data))):
        return _invitation_page(request, membership)
    return render(request, "orgs/member_form.html", {"form": form})


def _invitation_page(request, membership):
    url = request.build_absolute_uri(services.invitation_path(membership.user))
    return render(request, "orgs/member_invited.html", {"member": membership, "invitation_url": url})


@require_POST
def member_invite_again(request, membership_id):
    """A fresh set-password link, for a member who lost theirs or forgot their password."""
    return _invitation_page(request, selectors.get_member_or_404(request.user, membership_id))


def member_detail(request, membership_id):
    membership = selectors.get_member_or_404(request.user, membership_id)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if form.is_valid():
        try:
            services.member_change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Role changed."))
            return redirect("member_detail", membership_id=membership.pk)
    return render(request, "orgs/member_detail.html", {"member": membership, "form": form})


@require_POST
def member_end_sessions(request, membership_id):
    """An admin ends every session of a member, e.g. after a phone is seized."""
    membership = selectors.get_member_or_404(request.user, membership_id)
    sessions_end(user=membership.user)
    messages.success(request, _("All sessions of this member were ended."))
    return redirect("member_detail", membership_id=membership.pk)


@require_POST
def member_set_active(request, membership_id):
    membership = selectors.get_member_or_404(request.user, membership_id)
    active = request.POST.get("active") == "1"
    try:
        services.member_set_active(membership=membership, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Member reactivated.") if active else _("Member deactivated."))
    return redirect("member_detail", membership_id=membership.pk)
