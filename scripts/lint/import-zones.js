import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

/**
 * The runtime zones of docs/architecture.md, lowest first: a file may import its own zone and the
 * zones its `may` lists, nothing above. `node: false` zones run in a browser page (no Node
 * built-ins); `electron: true` zones may load Electron's own modules, which nothing else may.
 */
export const ZONES = [
  { name: 'shared', folder: 'shared/', may: [], node: false },
  { name: 'renderer', folder: 'renderer/', may: ['shared'], node: false },
  { name: 'engine', folder: 'main/engine/', may: ['shared'] },
  { name: 'services', folder: 'main/services/', may: ['shared', 'engine'] },
  { name: 'electron', folder: 'main/electron/', may: ['shared', 'engine', 'services'], electron: true },
  { name: 'preload', folder: 'main/preload/', may: ['shared'], node: false, electron: true },
  { name: 'server', folder: 'main/server/', may: ['shared', 'engine', 'services'] },
  { name: 'cli', folder: 'main/cli/', may: ['shared', 'engine', 'services', 'server'] },
  { name: 'dev-web', folder: 'main/dev-web/', may: ['shared', 'engine', 'services'] },
];

const ELECTRON_PACKAGES = ['electron', 'electron-log', 'electron-updater'];
const BUILTINS = new Set(builtinModules);

function zoneOf(path) {
  return ZONES.find((zone) => path.startsWith(zone.folder));
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const importZones = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps every import inside the runtime zones of docs/architecture.md.' },
    schema: [],
    messages: {
      upward:
        "{{from}} may not import {{to}} ('{{specifier}}'): {{from}} imports only {{allowed}}. See docs/architecture.md.",
      electron:
        "Only main/electron/ (and the preload) may import '{{specifier}}': {{from}} runs without Electron. See docs/architecture.md.",
      node: "{{from}} runs in a browser page and may not import the Node built-in '{{specifier}}'. See docs/architecture.md.",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split('\\').join('/');
    const zone = zoneOf(file);
    if (!zone) return {};

    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.')) {
        const target = relative(root, resolve(dirname(context.filename), specifier))
          .split('\\')
          .join('/');
        const to = zoneOf(target) ?? zoneOf(`${target}/`);
        if (!to || to === zone || zone.may.includes(to.name)) return;
        const allowed = [zone.name, ...zone.may].join(', ');
        context.report({ node, messageId: 'upward', data: { from: zone.name, to: to.name, specifier, allowed } });
        return;
      }
      const name = packageName(specifier);
      if (ELECTRON_PACKAGES.includes(name) && !zone.electron) {
        context.report({ node, messageId: 'electron', data: { from: zone.name, specifier } });
      } else if (zone.node === false && (specifier.startsWith('node:') || BUILTINS.has(name))) {
        context.report({ node, messageId: 'node', data: { from: zone.name, specifier } });
      }
    };
    const fromSource = (node) => {
      if (node.source) check(node.source, node.source.value);
    };
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node.source, node.source.value);
      },
      TSImportType(node) {
        // typescript-eslint 8 names the string `source`; older versions `argument.literal`.
        const literal = node.source ?? node.argument?.literal;
        if (literal?.type === 'Literal') check(literal, literal.value);
      },
    };
  },
};

export default { rules: { 'import-zones': importZones } };
