"""gunicorn settings for production: ``gunicorn -c python:fiep.gunicorn_conf fiep.wsgi``
(or ``-c fiep/gunicorn_conf.py``).

The access log writes the request line, path and referrer of every request; the private
links (status, consent, surveys, calendar feed, password reset, two-step set-up) carry
their token in the path, so this logger class redacts token-like path segments from every
access-log field and every error-log line (see ``fiep/logredact.py``). Other gunicorn
settings (bind, workers, forwarded-allow-ips) stay on the command line or in
``GUNICORN_CMD_ARGS``; this file sets only what the redaction needs.
"""

from gunicorn.glogging import Logger

from fiep.logredact import redact

accesslog = "-"
errorlog = "-"
#: The usual combined format, without the query string's own field: the path (``%(U)s``)
#: and request line (``%(r)s``) are redacted by the logger class below.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'


class RedactingLogger(Logger):
    """gunicorn's logger with token path segments redacted from every line."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) for key, value in atoms.items()}

    def error(self, msg, *args, **kwargs):
        super().error(redact(str(msg)), *[redact(a) for a in args], **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(redact(str(msg)), *[redact(a) for a in args], **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(str(msg)), *[redact(a) for a in args], **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(str(msg)), *[redact(a) for a in args], **kwargs)


logger_class = RedactingLogger
