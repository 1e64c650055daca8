// Lint that catches async bugs (STYLE.md habit 10): floating and misused promises, non-exhaustive switches,
// type-only imports, focused or skipped tests.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import structure from './scripts/eslint/max-class-lines.mjs';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'packages/*/dist/',
      'node_modules/',
      '.local/',
      'coverage/',
      'scripts/**/*.mjs',
      'libs/console/assets/',
      'jest.config.js',
      'eslint.config.js',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='forceExit']", message: 'close connections instead' },
      ],
    },
  },
  {
    // One configuration schema (ADR 0029): the product reads its environment only through libs/platform/src/config,
    // where every variable is declared once. Tests, the test harness (libs/testing) and the bench set and read their
    // own variables (FUZZ_*, BENCH_*, the broker the harness started), which are not the product's configuration.
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['libs/platform/src/config/environment.ts', '**/*.spec.ts', '**/test/**', 'libs/testing/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'declare the variable in libs/platform/src/config and read it with readEnvironment()',
        },
      ],
    },
  },
  // Formatting is Prettier's (ADR 0041): the rules that would argue with it are off (max-len comes back just below).
  prettier,
  {
    // Lines under 140 characters (issue 17, item 8; ADR 0041): Prettier breaks the code, this catches what it cannot
    // (comments, long names). Strings, templates, URLs and regular expressions are read whole, never split.
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    // Sizes (issue 17, item 2): no source file over 400 lines, no class over 250 (one responsibility each).
    files: ['apps/**/*.ts', 'libs/*/src/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { structure },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'structure/max-class-lines': ['error', 250],
    },
  },
  {
    // libs/platform is only the platform (issue 17, item 3): the relay runs from libs/relay-runtime, never from here.
    files: ['libs/platform/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '#messaging', importNames: ['Relay'], message: 'the relay service lives in libs/relay-runtime' }] },
      ],
    },
  },
  {
    // NestJS reads constructor parameter types at run time (emitDecoratorMetadata): an injected class must be
    // a value import, so type-only imports are not enforced where Nest injects.
    files: ['libs/platform/src/**/*.ts', 'libs/*-api/src/**/*.ts', 'libs/process-managers/src/**/*.ts', 'apps/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'libs/testing/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'spec.**.then', 'spec.**.thenThrows', 'request.**.expect'] }],
      'jest/valid-title': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // A shared contract suite is a module of tests that adapters' spec files import and run.
    files: ['**/*.contract.ts'],
    rules: { 'jest/no-export': 'off' },
  },
);
