"""A request id for every request: in the response header, the logs and error pages."""

import logging
import re
import threading
import uuid

_local = threading.local()
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id():
    return getattr(_local, "request_id", "")


class RequestIdMiddleware:
    """Takes a sane X-Request-ID from the proxy or makes one; echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        _local.request_id = request.request_id
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = ""
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True
