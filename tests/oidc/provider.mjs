// A real OpenID Connect provider for the Pro Santé Connect tests: panva's oidc-provider
// (OpenID-certified), configured like PSC — scopes `openid scope_all`, acr `eidas1`,
// RS256 id tokens, the RPPS in `SubjectNameID` / `preferred_username` of userinfo
// (as a signed JWT when the client asks for it), RP-initiated logout.
//
// Usage: node tests/oidc/provider.mjs '<json>' where the JSON holds
//   {"client": {client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//               userinfo_signed_response_alg?},
//    "accounts": {"<login>": {<userinfo claims>}}}
// It listens on 127.0.0.1 on a free port and prints one line of JSON, {"issuer": …},
// once it answers. Its login page stands for the e-CPS app: the professional types
// the login of an account (no password), and is authenticated at level eidas1.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] || '{}');
const accounts = config.accounts || {};

// A fresh signing key at each start: nothing secret is kept on disk or in git.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: randomBytes(8).toString('hex'),
  alg: 'RS256',
  use: 'sig',
};

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`;
}

const PSC_CLAIMS = [
  'SubjectNameID', 'preferred_username', 'given_name', 'family_name', 'SubjectRefPro',
  'SubjectOrganization', 'SubjectRole', 'otherIds',
];

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      ...config.client,
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    scopes: ['openid', 'scope_all'],
    claims: { openid: ['sub'], scope_all: PSC_CLAIMS },
    acrValues: ['eidas1'],
    pkce: { required: () => false },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Déconnexion de Pro Santé Connect (test)', `${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Oui, me déconnecter</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Déconnecté·e de Pro Santé Connect (test)', '<p>Vous êtes déconnecté·e.</p>');
        },
      },
    },
    async findAccount(ctx, id) {
      if (!(id in accounts)) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Erreur du fournisseur (test)', `<p>${escape(out.error)} : ${escape(out.error_description || '')}</p>`);
    },
  });
  provider.proxy = false;

  const oidc = provider.callback();

  async function readForm(req) {
    let body = '';
    for await (const chunk of req) body += chunk;
    return new URLSearchParams(body);
  }

  async function consent(req, res, details) {
    const { prompt, params, session, grantId } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
  }

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) {
      oidc(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'POST' && match[2]) {
        const login = (await readForm(req)).get('login') || '';
        if (!(login in accounts)) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(page('Identifiant inconnu (test)', '<p>Aucun compte de test pour cet identifiant.</p>'));
          return;
        }
        await provider.interactionFinished(req, res, {
          login: { accountId: login, acr: 'eidas1', amr: ['mfa'] },
        }, { mergeWithLastSubmission: false });
        return;
      }
      if (details.prompt.name === 'consent') {
        await consent(req, res, details);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Pro Santé Connect (fournisseur de test)', `
<form method="post" action="/interaction/${escape(details.uid)}/login">
  <p><label for="login">Identifiant e-CPS</label> <input id="login" name="login" autocomplete="off"></p>
  <p><button type="submit">S'authentifier</button></p>
</form>`));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Erreur du fournisseur (test)', `<p>${escape(error.message)}</p>`));
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

// The test stops the provider by closing its standard input or by a signal.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
