import type { Request, Response } from 'express';
import type { ApiClient } from './api-client.js';
import type { ConsoleSession, SignedInUser } from './session.js';

/** What a page needs: the renderer (the layout's context added), the API client and the injected clock. */
export interface PageContext {
  readonly render: (res: Response, template: string, context: Record<string, unknown>) => void;
  readonly api: ApiClient;
  readonly now: () => Date;
}

export type SignedInRequest = Request & { session: ConsoleSession; user: SignedInUser };
export type PageHandler = (req: SignedInRequest, res: Response) => Promise<void>;
