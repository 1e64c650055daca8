import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import { ApiClient, ApiError } from './api-client.js';
import { forcePages } from './force-pages.js';
import { nationalPages, nationalTrends } from './national-pages.js';
import { nationalOperationsPages } from './national-operations.js';
import type { PageContext, PageHandler } from './page.js';
import { CONSOLE_PATHS } from './paths.js';
import { csrfMatches, SessionStore, type ConsoleSession, type SignedInUser } from './session.js';
import { isLoopback, SignIn, type IdentityProviderSettings } from './sign-in.js';

/** Where the console is reached and what it talks to; read at each use, so that a server may learn its port after start. */
export interface ConsoleSettings {
  /** The console's own URL as the browser reaches it, ending in `/console` (the OIDC redirect is `<publicUrl>/callback`). */
  readonly publicUrl: string;
  /** The query API's base URL. */
  readonly apiUrl: string;
  readonly identityProvider: IdentityProviderSettings;
}

/** How far the demo history has been seeded (quick start), shown on every page. */
export interface SeedProgress {
  readonly done: number;
  readonly total: number;
  readonly finished: boolean;
  readonly error?: string;
}

export interface ConsoleOptions {
  readonly settings: () => ConsoleSettings;
  /** The injected clock (ADR 0018): "due today" and "bail ending in 14 days" are judged by it. */
  readonly now: () => Date;
  readonly progress?: () => SeedProgress | undefined;
}

export const CONSOLE_BASE = '/console';
const ASSETS = `${CONSOLE_BASE}/assets`;

/**
 * The console (issue 16, ADR 0040): GOV.UK Design System pages rendered on the server with Nunjucks, charts drawn in
 * the browser by Apache ECharts from figures that are also in a table. It is an Express router mounted at /console
 * by the quick start beside the API, or by apps/console on its own; it signs people in with OIDC (code flow, PKCE)
 * and reads the query API with their own token.
 */
export function createConsole(options: ConsoleOptions): Router {
  const publicUrl = (): URL => new URL(options.settings().publicUrl);
  const nowMs = (): number => options.now().getTime();
  const sessions = new SessionStore(() => !isLoopback(publicUrl()), CONSOLE_BASE, nowMs);
  const signIn = new SignIn(
    () => options.settings().identityProvider,
    () => `${options.settings().publicUrl}/callback`,
    nowMs,
  );
  const api = new ApiClient(() => options.settings().apiUrl);
  const views = new nunjucks.Environment(new nunjucks.FileSystemLoader([CONSOLE_PATHS.views, CONSOLE_PATHS.govukDist]), {
    autoescape: true,
    throwOnUndefined: false,
  });

  const router = express.Router();
  // A nonce per answer: the only scripts that run are the console's own files and govuk-frontend's one-line body class (T38).
  router.use((_req, res, next) => {
    res.locals['cspNonce'] = randomBytes(16).toString('base64');
    next();
  });
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${String((res as Response).locals['cspNonce'])}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          manifestSrc: ["'self'"],
          formAction: ["'self'", ...formTargets(options)],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  serveAssets(router);

  const render = (res: Response, template: string, context: Record<string, unknown>): void => {
    const session = res.locals['session'] as ConsoleSession | undefined;
    res.type('html').send(
      views.render(template, {
        ...context,
        base: CONSOLE_BASE,
        assetPath: `${ASSETS}/govuk/assets`,
        assets: ASSETS,
        cspNonce: res.locals['cspNonce'] as string,
        user: session?.user,
        csrfToken: session?.csrfToken,
        progress: options.progress?.(),
        path: res.req.originalUrl,
      }),
    );
  };
  const page: PageContext = { render, api, now: options.now };

  router.use((req, res, next) => {
    res.locals['session'] = sessions.find(req);
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  router.get('/', (_req, res) => {
    const user = (res.locals['session'] as ConsoleSession | undefined)?.user;
    if (user) return res.redirect(303, homeOf(user));
    render(res, 'sign-in.njk', { title: 'Sign in' });
  });
  router.get('/sign-in', (req, res, next) => {
    signIn
      .start()
      .then(({ url, pending }) => {
        const session = sessions.start(res, res.locals['session'] as ConsoleSession | undefined);
        session.pending = pending;
        res.redirect(303, url);
      })
      .catch(next);
  });
  router.get('/callback', (req, res, next) => {
    const session = res.locals['session'] as ConsoleSession | undefined;
    if (!session?.pending) return res.redirect(303, `${CONSOLE_BASE}/`);
    const pending = session.pending;
    delete session.pending;
    const callback = new URL(`${publicUrl().href.replace(/\/$/, '')}/callback${req.url.slice(req.path.length)}`);
    signIn
      .finish(callback, pending)
      .then((user) => {
        const fresh = sessions.start(res, session); // a new id once signed in: no session fixation
        fresh.user = user;
        res.redirect(303, homeOf(user));
      })
      .catch((error: unknown) => {
        res.status(401);
        render(res, 'error.njk', {
          title: 'Sign-in failed',
          message: `The identity provider's answer was refused: ${(error as Error).message}`,
        });
      })
      .catch(next);
  });
  router.post('/sign-out', (req, res) => {
    const session = res.locals['session'] as ConsoleSession | undefined;
    if (!csrfMatches(session, (req.body as Record<string, unknown> | undefined)?.['csrfToken'])) {
      res.status(403);
      return render(res, 'error.njk', {
        title: 'Forbidden',
        message: 'The form had expired or did not come from this console. Go back and try again.',
      });
    }
    sessions.end(res, session);
    res.redirect(303, `${CONSOLE_BASE}/`);
  });

  // Every page below needs a signed-in user.
  const signedIn = (handler: PageHandler) => (req: Request, res: Response, next: NextFunction) => {
    const session = res.locals['session'] as ConsoleSession | undefined;
    if (!session?.user) return res.redirect(303, `${CONSOLE_BASE}/`);
    const request = Object.assign(req, { session, user: session.user });
    handler(request, res).catch((error: unknown) => {
      if (!(error instanceof ApiError)) return next(error);
      if (error.status === 401) {
        sessions.end(res, session);
        return res.redirect(303, `${CONSOLE_BASE}/`);
      }
      const known: Record<number, string> = { 403: 'You do not have access to this page', 404: 'Page not found', 503: 'Not ready yet' };
      res.status(known[error.status] ? error.status : 502);
      render(res, 'error.njk', {
        title: known[error.status] ?? 'The API did not answer',
        message: error.status === 404 ? '' : error.detail,
      });
    });
  };
  nationalPages(router, page, signedIn);
  nationalTrends(router, page, signedIn);
  nationalOperationsPages(router, page, signedIn);
  forcePages(router, page, signedIn);

  router.use((_req: Request, res: Response) => {
    res.status(404);
    render(res, 'error.njk', { title: 'Page not found', message: '' });
  });
  return router;
}

/** Where a user lands: the national team on the scorecard, a force's user on their force. */
export const homeOf = (user: SignedInUser): string =>
  user.force === 'national' ? `${CONSOLE_BASE}/national/scorecard` : `${CONSOLE_BASE}/forces/${user.force}`;

/** The identity provider's origin may receive a form (the local issuer's sign-in form posts to itself). */
function formTargets(options: ConsoleOptions): string[] {
  try {
    return [new URL(options.settings().identityProvider.issuer).origin];
  } catch {
    return [];
  }
}

/** govuk-frontend's files (its CSS with its font and image URLs under /console), ECharts and the console's script. */
function serveAssets(router: Router): void {
  const immutable = { maxAge: '1d', fallthrough: false, index: false } as const;
  const css = readFileSync(join(CONSOLE_PATHS.govukDist, 'govuk', 'govuk-frontend.min.css'), 'utf8').replaceAll(
    'url(/assets/',
    `url(${ASSETS}/govuk/assets/`,
  );
  router.get('/assets/govuk/govuk-frontend.min.css', (_req, res) => {
    res.type('css').send(css);
  });
  router.use('/assets/govuk', express.static(join(CONSOLE_PATHS.govukDist, 'govuk'), immutable));
  router.get('/assets/echarts.min.js', (_req, res) => res.sendFile(CONSOLE_PATHS.echarts));
  router.use('/assets', express.static(CONSOLE_PATHS.assets, immutable));
}
