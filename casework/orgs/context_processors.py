from casework import access


def membership(request):
    """The signed-in user's membership and role capabilities, for the navigation."""
    m = access.membership(request.user)
    return {"membership": m, "capabilities": access.ROLE_CAPABILITIES[m.role] if m else frozenset()}
