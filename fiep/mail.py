"""Building the e-mail of an outbox message: calendar invitations travel inline and as a file.

A calendar attachment stored with the MIME type ``text/calendar; method=REQUEST`` (or
CANCEL) is added twice, as mail clients expect an invitation (RFC 6047): inline, as a
``text/calendar; method=…`` alternative of the message body, so the client shows the
invitation with its buttons; and as the ``invitation.ics`` file, for clients that only
offer attachments. The ``method`` parameter stays on both MIME parts.
"""

from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives


def _parameters(mimetype):
    main, *params = (part.strip() for part in mimetype.split(";"))
    pairs = [param.split("=", 1) for param in params if "=" in param]
    return main, [(key.strip().lower(), value.strip().strip('"')) for key, value in pairs]


class OutboxEmail(EmailMultiAlternatives):
    """An e-mail whose parts keep the parameters of their MIME type (``method=REQUEST``)."""

    def _create_mime_attachment(self, content, mimetype):
        main, params = _parameters(mimetype)
        if main.startswith("text/") and params:
            part = MIMEText(content, main.split("/", 1)[1], "utf-8")
            for key, value in params:
                part.set_param(key, value)
            return part
        return super()._create_mime_attachment(content, main)


def attach_all(email, attachments):
    """Add the stored ``attachments`` (dicts: filename, mimetype, content) to ``email``."""
    for attachment in attachments:
        main, params = _parameters(attachment["mimetype"])
        if main == "text/calendar" and dict(params).get("method"):
            email.attach_alternative(attachment["content"], attachment["mimetype"])
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
