// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The libs in dependency order: config <- infra <- weather <- shipments <- import, apps on top. */
const LIBS = ['config', 'infra', 'weather', 'shipments', 'import'];

/**
 * Every file reaches a lib through its index (@app/<lib>), never a file inside it, by alias or by
 * a relative path (which necessarily passes through `<lib>/src`); `forbidden` libs not at all.
 */
function libPatterns(forbidden) {
  return [
    { group: ['@app/*/*'], message: 'Import a lib through its index: @app/<lib>.' },
    {
      regex: `(^|/)(${LIBS.join('|')})/src(/|$)`,
      message: 'Import a lib through its index (@app/<lib>), not by a relative path.',
    },
    ...forbidden.map((lib) => ({
      group: [`@app/${lib}`],
      message: `A lib imports only the libs before it: ${LIBS.join(' <- ')}.`,
    })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      sourceType: 'commonjs',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: libPatterns([]) }],
    },
  },
  // The dependency order of the libs: each may import only the libs before it.
  ...LIBS.map((lib, index) => ({
    files: [`libs/${lib}/src/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: libPatterns(LIBS.slice(index)) }] },
  })),
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['apps/*/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
