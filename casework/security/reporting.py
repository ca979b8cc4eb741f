import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter


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


class NoUploadNamesReporter(ExceptionReporter):
    """Error reports list uploaded files by name, and a file's name is client data too (a passport
    scan named after its holder): show only the form field."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_FILES_items"] = [(name, self.filter.cleansed_substitute) for name in self.request.FILES]
        return data
