import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the console's templates and browser files are, from the sources (libs/console/src) or the build
 * (dist/libs/console/src): TypeScript does not copy them, so both resolve to libs/console/{views,assets}.
 */
function consoleRoot(): string {
  for (const candidate of [join(import.meta.dirname, '..'), join(import.meta.dirname, '..', '..', '..', '..', 'libs', 'console')]) {
    if (existsSync(join(candidate, 'views', 'layout.njk'))) return candidate;
  }
  throw new Error(`the console's templates are not found near ${import.meta.dirname}`);
}

const require = createRequire(import.meta.url);
/** node_modules/<name>, found the way node finds the package (hoisted or not). */
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

export const CONSOLE_PATHS = {
  views: join(consoleRoot(), 'views'),
  assets: join(consoleRoot(), 'assets'),
  /** govuk-frontend's dist: its Nunjucks macros (`govuk/components/...`), CSS, JavaScript, fonts and images. */
  govukDist: join(packageDir('govuk-frontend'), 'dist'),
  echarts: join(packageDir('echarts'), 'dist', 'echarts.min.js'),
} as const;
