import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Configuration } from 'electron-builder';
import { load } from 'js-yaml';

/** electron-builder.yml and package.json as electron-builder reads them, for the packaging tests. */

const require = createRequire(import.meta.url);

/**
 * The JSON schema of the electron-builder version the project pins (app-builder-lib/scheme.json, beside
 * electron-builder).
 */
export async function builderSchemaValidator(): Promise<ValidateFunction<Configuration>> {
  const fromBuilder = createRequire(require.resolve('electron-builder/package.json'));
  const schema = JSON.parse(await readFile(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  // Like electron-builder's own check (app-builder-lib's schemaValidator) but without coercing types,
  // so `oneClick: "yes"` fails here instead of quietly becoming true.
  return new Ajv({ allErrors: true, strict: false }).compile<Configuration>(schema);
}

export async function readBuilderYaml(): Promise<unknown> {
  return load(await readFile('electron-builder.yml', 'utf8'));
}

export interface PackageJson {
  name: string;
  productName: string;
  version: string;
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
  allowScripts: Record<string, boolean>;
}

export async function readPackageJson(): Promise<PackageJson> {
  return JSON.parse(await readFile('package.json', 'utf8')) as PackageJson;
}

/** Every string in a config value with the path of keys that leads to it. */
export function stringsOf(value: unknown, path: string[] = []): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path: path.join('.'), value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsOf(item, [...path, String(index)]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringsOf(item, [...path, key]));
  return [];
}
