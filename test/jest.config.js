/** Three tiers, one command: unit (no I/O), integration (real PostgreSQL), e2e (built processes). */
const shared = {
  rootDir: require('node:path').join(__dirname, '..'),
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@app/(config|infra|weather|shipments|import)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
};

module.exports = {
  ...shared,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Integration and e2e specs start databases and processes; no spec is a timing test.
  testTimeout: 60_000,
  // Lists every test, so a spec skipped for a missing service shows its reason in the output.
  verbose: true,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'],
      // The API slice's responses are checked against the document too.
      setupFilesAfterEnv: ['<rootDir>/test/support/contract-after-all.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      // The contract test: every response the API gives these tests must match its document.
      setupFilesAfterEnv: ['<rootDir>/test/support/contract-after-all.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
