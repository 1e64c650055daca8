import { metricsTokenAccepts, ProjectionMetrics } from '../src/projection-metrics.js';

/**
 * /metrics (issue 12, item 8): a scrape is answered from the last collected text, so it costs no query however
 * often it comes; only the refresh (one per interval) reads the read models. It needs the scraper's token.
 */
describe(ProjectionMetrics.name, () => {
  it('collects once for any number of scrapes until the next refresh', async () => {
    let collected = 0;
    const metrics = new ProjectionMetrics(() => Promise.resolve(`nom_test ${++collected}\n`), 3_600_000);
    try {
      const scrapes = await Promise.all([metrics.scrape(), metrics.scrape(), metrics.scrape()]);
      expect(await metrics.scrape()).toBe('nom_test 1\n');
      expect(scrapes).toEqual(['nom_test 1\n', 'nom_test 1\n', 'nom_test 1\n']);
      expect(collected).toBe(1);
      await metrics.refresh();
      expect(await metrics.scrape()).toBe('nom_test 2\n');
      expect(collected).toBe(2);
    } finally {
      metrics.stop();
    }
  });

  it('keeps the last text when a refresh fails, and says so in a metric', async () => {
    let fail = false;
    const metrics = new ProjectionMetrics(() => (fail ? Promise.reject(new Error('db away')) : Promise.resolve('nom_test 1\n')), 3_600_000);
    try {
      await metrics.scrape();
      fail = true;
      await metrics.refresh();
      expect(await metrics.scrape()).toBe(
        'nom_test 1\n# HELP nom_metrics_refresh_failed The last refresh of these metrics failed.\n# TYPE nom_metrics_refresh_failed gauge\nnom_metrics_refresh_failed 1\n',
      );
    } finally {
      metrics.stop();
    }
  });
});

describe(metricsTokenAccepts.name, () => {
  const token = 'a-scraper-token-of-at-least-32-characters';
  it('accepts only the configured bearer token', () => {
    expect(metricsTokenAccepts(`Bearer ${token}`, token)).toBe(true);
    expect(metricsTokenAccepts(`bearer ${token}`, token)).toBe(true);
    expect(metricsTokenAccepts(undefined, token)).toBe(false);
    expect(metricsTokenAccepts('Bearer wrong', token)).toBe(false);
    expect(metricsTokenAccepts(`Basic ${token}`, token)).toBe(false);
    expect(metricsTokenAccepts(`Bearer ${token}x`, token)).toBe(false);
  });
});
