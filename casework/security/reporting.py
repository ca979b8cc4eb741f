import re

from django.views.debug import SafeExceptionReporterFilter


class NoPostDataFilter(SafeExceptionReporterFilter):
    """Hide every POST field and anything that looks like a key from error reports: forms here carry
    names, addresses and documents of people at risk."""

    hidden_settings = re.compile(r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL", re.I)

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name, _value in tb_frame.f_locals.items()]
