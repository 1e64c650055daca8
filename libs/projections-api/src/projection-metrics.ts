const FAILED =
  '# HELP nom_metrics_refresh_failed The last refresh of these metrics failed.\n# TYPE nom_metrics_refresh_failed gauge\nnom_metrics_refresh_failed 1\n';

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

/** The scraper's token check, now in #platform beside the one /metrics of the process (ADR 0038). */
export { metricsTokenAccepts } from '#platform';
