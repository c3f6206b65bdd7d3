// Flat config: typescript-eslint, type-only imports, no `any`, and the import direction between the layers.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const fastify = {
  group: ['fastify', 'fastify/*', '@fastify/*'],
  message: 'Only backend/http, app.ts and server.ts use Fastify.',
};
const backend = {
  group: ['**/backend', '**/backend/**'],
  message: 'The frontend talks to the backend over HTTP only; share types via shared/.',
};
const frontend = { group: ['**/frontend', '**/frontend/**'], message: 'The backend never imports the frontend.' };

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.vite/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Plain JS runs on Node (TypeScript files are checked by tsc, where no-undef is off).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['frontend/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [backend, fastify] }] },
  },
  {
    files: ['backend/**'],
    ignores: ['backend/http/**', 'backend/app.ts', 'backend/server.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [frontend, fastify] }] },
  },
  {
    // The core (sockets, listeners, events, capture) knows no feature: features plug into it (backend/inspector/plugs.ts).
    // inspector.ts and api.ts still compose the features until InspectorApi is split.
    files: ['backend/inspector/**'],
    ignores: ['backend/inspector/inspector.ts', 'backend/inspector/api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            frontend,
            fastify,
            {
              group: ['../expect/*', '../sessions/*', '../send/*', '../framing/*', '../responders/*'],
              message: 'The core imports no feature; a feature plugs into the core (backend/inspector/plugs.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['backend/http/**', 'backend/app.ts', 'backend/server.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [frontend] }] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...backend.group, ...frontend.group, ...fastify.group],
              message: 'shared/ is imported by both sides and imports neither (nor Fastify).',
            },
          ],
        },
      ],
    },
  },
);
