import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The structure is visible to tools (issue 17, item 6). The libraries are listed once, in package.json `imports`:
 * `#name` resolves to the TypeScript sources under the `nom-source` condition (tsconfig `customConditions`, jest's
 * `customExportConditions`, dependency-cruiser's `conditionNames`) and to the built dist/ for node. nest-cli.json
 * describes every app and library that exists.
 */
const root = join(import.meta.dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-unsafe-return -- the files' shapes are asserted below
const json = <T>(file: string): T => JSON.parse(readFileSync(join(root, file), 'utf8'));
const folders = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('the structure of the repository', () => {
  const libs = folders('libs');
  const apps = folders('apps');

  it('lists every library once in package.json imports, sources for tools and dist/ for node', () => {
    const { imports } = json<{ imports: Record<string, { 'nom-source': string; default?: string }> }>('package.json');
    // A library's entries besides its index: `#<lib>/<entry>` is libs/<lib>/src/<entry>.ts (a light entry, such as the
    // event store's `reading` for the research export's worker threads, ADR 0049), built as the index is.
    const entries = Object.keys(imports).filter((name) => name.includes('/'));
    expect(entries).toEqual(['#event-store/reading']);
    for (const name of entries) {
      const [lib, entry] = name.slice(1).split('/') as [string, string];
      expect(libs).toContain(lib);
      expect(imports[name]).toEqual({ 'nom-source': `./libs/${lib}/src/${entry}.ts`, default: `./dist/libs/${lib}/src/${entry}.js` });
      expect(existsSync(join(root, imports[name]!['nom-source']))).toBe(true);
    }
    const indexes = Object.keys(imports).filter((name) => !name.includes('/'));
    expect(indexes.sort()).toEqual(libs.map((lib) => `#${lib}`).sort());
    for (const lib of libs) {
      const target = imports[`#${lib}`]!;
      expect(target['nom-source']).toBe(`./libs/${lib}/src/index.ts`);
      expect(existsSync(join(root, target['nom-source']))).toBe(true);
      // libs/testing is test-only: never built, so node must not resolve it.
      expect(target.default).toBe(lib === 'testing' ? undefined : `./dist/libs/${lib}/src/index.js`);
    }
  });

  it('keeps no second list of the libraries in the tools configuration', () => {
    const tsconfig = json<{ compilerOptions: { customConditions?: string[]; paths?: unknown } }>('tsconfig.json');
    expect(tsconfig.compilerOptions.customConditions).toEqual(['nom-source']);
    expect(tsconfig.compilerOptions.paths).toBeUndefined();
    const jestConfig = readFileSync(join(root, 'jest.config.js'), 'utf8');
    expect(jestConfig).not.toMatch(/'\^#/);
    const cruiser = readFileSync(join(root, '.dependency-cruiser.cjs'), 'utf8');
    expect(cruiser).toContain("conditionNames: ['nom-source'");
  });

  it('describes every app and library in nest-cli.json, and nothing that does not exist', () => {
    const { projects } = json<{ projects: Record<string, { type: string; root: string; sourceRoot: string }> }>('nest-cli.json');
    const described = Object.values(projects)
      .map((project) => project.root)
      .sort();
    expect(described).toEqual([...apps.map((app) => `apps/${app}`), ...libs.map((lib) => `libs/${lib}`)].sort());
    for (const project of Object.values(projects)) {
      expect(project.type).toBe(project.root.startsWith('apps/') ? 'application' : 'library');
      expect(project.sourceRoot).toBe(`${project.root}/src`);
      expect(existsSync(join(root, project.sourceRoot))).toBe(true);
    }
  });

  it('names decider files one way, X.decider.ts (issue 17, item 8)', () => {
    const domainFiles = libs
      .filter((lib) => lib.endsWith('-domain'))
      .flatMap((lib) => readdirSync(join(root, 'libs', lib, 'src')).map((file) => `libs/${lib}/src/${file}`));
    expect(domainFiles.filter((file) => /\.decide\.ts$|decide[^r].*\.ts$/.test(file))).toEqual([]);
    expect(domainFiles.filter((file) => file.endsWith('.decider.ts')).length).toBeGreaterThan(10);
  });
});
