from casework import access


def membership(request):
    """The signed-in user's membership and role capabilities, for the navigation."""
    return {"membership": access.membership(request.user), "capabilities": access.capabilities(request.user)}
