"""Debian's chromium, launched the one way the browser tests and bin/prod-check use it
(never a downloaded browser)."""

CHROMIUM = "/usr/bin/chromium"

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    """A headless chromium browser from ``playwright`` (sync API)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
