import { createHash, timingSafeEqual } from 'node:crypto';

const FAILED = '# HELP nom_metrics_refresh_failed The last refresh of these metrics failed.\n# TYPE nom_metrics_refresh_failed gauge\nnom_metrics_refresh_failed 1\n';

/**
 * The Prometheus text of /metrics, collected on a timer and served from memory (issue 12, item 8): a scrape costs
 * no query whatever its rate, and the read models are read once per `refreshMs` whoever asks. The first scrape
 * waits for the first collection; a failed refresh keeps the last text and adds `nom_metrics_refresh_failed 1`.
 */
export class ProjectionMetrics {
  private text?: string;
  private failed = false;
  private pending?: Promise<void>;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly collect: () => Promise<string>,
    refreshMs: number,
  ) {
    this.timer = setInterval(() => void this.refresh(), refreshMs);
    this.timer.unref();
  }

  async scrape(): Promise<string> {
    if (this.text === undefined) await this.refresh();
    return this.failed ? `${this.text ?? ''}${FAILED}` : (this.text ?? '');
  }

  /** One collection at a time: a refresh asked for during another waits for that one. */
  refresh(): Promise<void> {
    this.pending ??= this.collect()
      .then(
        (text) => {
          this.text = text;
          this.failed = false;
        },
        () => {
          this.failed = true;
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Whether an Authorization header carries the scraper's bearer token (compared in constant time). */
export function metricsTokenAccepts(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
