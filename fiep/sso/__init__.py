"""Single sign-on for office staff and administrators with OpenID Connect.

The protocol (authorization code flow with PKCE, state, nonce, token exchange, JWKS) is
mozilla-django-oidc's; this package adds what it leaves out or leaves to the project:

- ``discovery``: every endpoint comes from the provider's discovery document;
- ``backends.OIDCBackend``: the ID token's issuer, audience, expiry and nonce are checked
  (the library checks only the signature and nonce), refusals carry a reason;
- ``services``: accounts are matched by recorded identity or verified e-mail, roles follow
  the role claim at every sign-in, a second factor asserted by the provider is accepted;
- ``views``: the log-in page, the callback with a clear page for every refusal, and a
  sign-out that ends the provider's session too (RP-initiated logout);
- ``backends.LocalPasswordBackend``: ``FIEP_LOCAL_LOGIN=false`` turns local passwords off
  for office staff and administrators (the break-glass account excepted).

Off unless ``OIDC_ISSUER`` is set (docs/security.md, "Single sign-on").
"""
