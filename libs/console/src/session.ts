import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** Who is signed in: what the identity provider said, and the access token the console calls the API with. */
export interface SignedInUser {
  readonly officerId: string;
  /** A force code, or `national`. */
  readonly force: string;
  readonly roles: readonly string[];
  readonly accessToken: string;
  /** Epoch ms: the session ends with the access token. */
  readonly expiresAt: number;
}

/** A sign-in under way: the PKCE verifier, state and nonce of the authorization request (never sent to the browser). */
export interface PendingSignIn {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly startedAt: number;
}

export interface ConsoleSession {
  readonly id: string;
  /** The synchroniser token of every form that changes something (sign-out): T39. */
  readonly csrfToken: string;
  pending?: PendingSignIn;
  user?: SignedInUser;
  lastSeen: number;
}

export const SESSION_COOKIE = 'nom_console_session';
const IDLE_MS = 30 * 60_000;
const PENDING_MS = 10 * 60_000;

/**
 * Server-side sessions held in the process: the browser keeps only an unguessable id in an HttpOnly, SameSite=Lax
 * cookie (Secure unless the console is on a loopback address), so no token reaches page scripts (ADR 0040, T38).
 * A session idle for 30 minutes, or whose access token expired, is gone; signing in issues a new id (no fixation).
 */
export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    /** Read at each cookie set: the console's URL may be known only once its server listens. */
    private readonly secureCookie: () => boolean,
    private readonly cookiePath: string,
    private readonly now: () => number,
  ) {}

  /** The request's session, if its cookie names a live one. */
  find(req: Request): ConsoleSession | undefined {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastSeen > IDLE_MS || (session.user && session.user.expiresAt <= now)) {
      this.sessions.delete(session.id);
      return undefined;
    }
    if (session.pending && now - session.pending.startedAt > PENDING_MS) delete session.pending;
    session.lastSeen = now;
    return session;
  }

  /** A new session (a new id), replacing `previous` if given, with its cookie set on the answer. */
  start(res: Response, previous?: ConsoleSession): ConsoleSession {
    if (previous) this.sessions.delete(previous.id);
    this.sweep();
    const session: ConsoleSession = {
      id: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(32).toString('base64url'),
      lastSeen: this.now(),
    };
    this.sessions.set(session.id, session);
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', secure: this.secureCookie(), path: this.cookiePath });
    return session;
  }

  end(res: Response, session: ConsoleSession | undefined): void {
    if (session) this.sessions.delete(session.id);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.secureCookie(), path: this.cookiePath });
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (now - session.lastSeen > IDLE_MS) this.sessions.delete(id);
  }
}

/** A form's CSRF token matches its session's (constant time). */
export function csrfMatches(session: ConsoleSession | undefined, sent: unknown): boolean {
  if (!session || typeof sent !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
