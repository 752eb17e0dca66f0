"""A local SMTP server that keeps every message it receives as an .eml file.

    python -m tests.prodcheck.smtp_sink --port 2525 --dir /tmp/mail

Each message is written to a temporary name and renamed, so a reader never sees half a
file. Used by bin/prod-check; not part of the application.
"""

import argparse
import asyncio
import itertools
import os
import signal
from pathlib import Path

from aiosmtpd.controller import Controller


class Keep:
    """aiosmtpd handler: store the message exactly as received (with the envelope)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        target = self.folder / f"{number:05d}.eml"
        partial = self.folder / f".{number:05d}.part"
        headers = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        partial.write_bytes(headers + envelope.original_content)
        os.replace(partial, target)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    controller = Controller(Keep(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(
        f"smtp sink: listening on {args.host}:{args.port}, keeping mail in {args.dir}", flush=True
    )

    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()
        loop.close()


if __name__ == "__main__":
    main()
