// Three tiers, told apart by file name (see STYLE.md, habit 8):
//   *.unit.spec.ts  pure code, no I/O;
//   *.int.spec.ts   against the real PostgreSQL and Kafka started by scripts/test.sh;
//   *.e2e.spec.ts   whole apps over HTTP and Kafka.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  // `#name` imports resolve through package.json `imports` to the TypeScript sources (condition nom-source),
  // the one list of the libraries; node itself takes the `default` condition, the built dist/.
  testEnvironmentOptions: { customExportConditions: ['nom-source', 'node', 'node-addons'] },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local/'],
};

export default {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  ],
};
