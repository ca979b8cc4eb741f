from casework import access


def membership(request):
    """The signed-in user's membership and role capabilities, for the navigation (whether someone without a
    membership is a platform operator is asked only of them)."""
    m = access.membership(request.user)
    return {"membership": m, "capabilities": access.capabilities(request.user),
            "platform_operator": m is None and access.is_platform_operator(request.user)}
