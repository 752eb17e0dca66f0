// A real OpenID Connect provider for the SSO tests (panva/oidc-provider), on a free port.
//
//   node server.js <config.json>
//
// config.json: {"clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//               "users_file": "...", "tamper_file": "...", "events_file": "..."}
// Prints "LISTENING <issuer>" once it answers. Test-only behaviour, all driven by files the
// test writes (nothing else about the provider is altered):
//   users_file   the accounts, re-read at every sign-in: {"<username>": {password, sub, email,
//                email_verified, groups, amr, acr, name}}; amr/acr describe how that
//                account authenticates at this provider.
//   tamper_file  if present when an ID token is issued, its claims ({"aud": ..., "nonce": ...},
//                or "exp_offset": -600 for exp = now - 600) replace the token's, re-signed
//                with the provider's own key, and the file is removed: a correctly signed
//                token that the relying party must refuse.
//   events_file  one JSON line per finished sign-out (RP-initiated logout).
import { appendFileSync, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = () => JSON.parse(readFileSync(config.users_file, 'utf8'));
const byAccountId = (id) => Object.entries(users()).find(([, u]) => u.sub === id)?.[1];
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await jose.importJWK(signingJwk, 'RS256');

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(data))));
    req.on('error', reject);
  });
}

const server = createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['fiep-test-provider-cookie-key'] },
  claims: {
    // Like Entra ID and Okta, every ID token says how the person authenticated.
    openid: ['sub', 'amr', 'acr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
    sid: null,
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  acrValues: ['urn:fiep:test:pwd', 'urn:fiep:test:mfa'],
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out of Test State ID?', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('You are signed out of Test State ID', '');
      },
    },
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party client: no consent screen (the state's own IdP behaves the same).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    grant.addOIDCClaims(['amr', 'acr']);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const user = byAccountId(id);
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: user.email_verified,
          name: user.name,
          preferred_username: user.username,
          groups: user.groups,
        };
      },
    };
  },
  ttl: {
    AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600,
  },
});

provider.on('end_session.success', (ctx) => {
  appendFileSync(config.events_file, `${JSON.stringify({ event: 'end_session.success', client_id: ctx.oidc.client?.clientId ?? null })}\n`);
});
provider.on('server_error', (ctx, err) => { console.error('server_error', err); });

// Test-only: re-sign the next ID token with claims the test asked for.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token && existsSync(config.tamper_file)) {
    const tamper = JSON.parse(readFileSync(config.tamper_file, 'utf8'));
    unlinkSync(config.tamper_file);
    const { exp_offset: expOffset, ...replace } = tamper;
    const claims = { ...jose.decodeJwt(ctx.body.id_token), ...replace };
    if (expOffset !== undefined) {
      claims.exp = Math.floor(Date.now() / 1000) + expOffset;
      claims.iat = claims.exp - 600;
    }
    ctx.body.id_token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid, typ: 'JWT' })
      .sign(signingKey);
  }
});

const callback = provider.callback();

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt } = details;
  if (prompt.name !== 'login') {
    // Consent is pre-granted (loadExistingGrant); any other prompt just continues.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  let error = '';
  if (req.method === 'POST') {
    const form = await readForm(req);
    const user = users()[form.username];
    if (user && user.password === form.password && !user.disabled) {
      await provider.interactionFinished(req, res, {
        login: { accountId: user.sub, amr: user.amr, acr: user.acr },
      }, { mergeWithLastSubmission: false });
      return;
    }
    error = '<p role="alert">Wrong username or password.</p>';
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page('Test State ID: sign in', `${error}
<form method="post" action="/interaction/${esc(uid)}">
  <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <button type="submit">Sign in to Test State ID</button>
</form>`));
}

server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      console.error('interaction error', err);
      res.statusCode = 400;
      res.end(page('Sign-in error', `<p>${esc(err.message)}</p>`));
    });
    return;
  }
  callback(req, res);
});

console.log(`LISTENING ${issuer}`);
