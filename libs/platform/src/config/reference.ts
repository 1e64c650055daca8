import { VARIABLES } from './environment.js';
import { PROCESSES, SERVICES, type Variable } from './variable.js';

/** The README's configuration table lies between these markers; `npm run docs` rewrites it from the schema. */
export const TABLE_START = '<!-- configuration table: generated from libs/platform/src/config by `npm run docs`; do not edit -->';
export const TABLE_END = '<!-- end of configuration table -->';

function usedBy(services: readonly string[]): string {
  const processes = PROCESSES.filter((p) => services.includes(p));
  const named = processes.length === PROCESSES.length ? ['every service'] : processes;
  const tools = services.filter((s) => !(PROCESSES as readonly string[]).includes(s)).map((s) => `\`${s}\``);
  return [...named, ...tools].join(', ');
}

const entries = (): [string, Variable][] => Object.entries(VARIABLES);

/** The Markdown table: variable, default, used by, secret, meaning; in declaration order. */
export function renderConfigurationTable(): string {
  const rows = entries().map(
    ([name, v]) => `| \`${name}\` | ${v.default} | ${usedBy(v.services)} | ${v.secret ? 'yes' : ''} | ${v.description} |`,
  );
  return ['| variable | default | used by | secret | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The README with its configuration table replaced by the generated one (throws when the markers are missing). */
export function withConfigurationTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has lost the configuration table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderConfigurationTable()}\n${readme.slice(end)}`;
}

const plain = (markdown: string): string => markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');

/**
 * `.env.example`: every variable, commented out, with its meaning and who reads it; a secret is left blank (generate
 * your own), a default shown as the value it already has.
 */
export function renderEnvExample(): string {
  const lines = [
    '# NOM backbone: every environment variable, generated from libs/platform/src/config by `npm run docs` (do not edit).',
    '# Copy to .env and uncomment what you set; an unset variable takes its default. Secrets are blank: generate your own.',
    `# Services: ${SERVICES.join(', ')}.`,
    '',
  ];
  for (const [name, v] of entries()) {
    lines.push(`# ${plain(v.description)}`, `# used by: ${plain(usedBy(v.services))}${v.secret ? '; SECRET' : ''}`);
    const shown = /^`([^`]*)`$/.exec(v.default)?.[1];
    lines.push(`#${name}=${v.secret ? '' : (v.example ?? shown ?? '')}`, '');
  }
  return lines.join('\n');
}
