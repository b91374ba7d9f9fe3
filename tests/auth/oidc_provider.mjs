// A real OpenID provider for the test suite: the certified `oidc-provider` package on
// a free loopback port, with discovery, keys (a fresh RSA key per run), the token and
// userinfo endpoints, PKCE required, open dynamic client registration (so each test
// app registers a client with its own redirect URI) and the development login form
// (any password; the login names an account below). Consent is taken as given.
//
// Started by tests/auth/oidc.py: `node oidc_provider.mjs` with the accounts as JSON in
// OIDC_TEST_ACCOUNTS and the static clients in OIDC_TEST_CLIENTS; prints
// `issuer http://127.0.0.1:PORT` once it listens.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';

const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || '{}');
const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS || '[]');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account }; } };
    },
    async loadExistingGrant(ctx) {
      const clientId = ctx.oidc.client.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`issuer ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
