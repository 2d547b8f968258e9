// Writes the VS Code manifest fields Model Lens's editor owns (contributes, activation, gallery
// facts) into package.json, leaving every other key as it is. `node scripts/manifest.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(file, 'utf8'));

const isModelFile = 'resourceExtname == .onnx || resourceFilename =~ /model.*\\.json$/i';
// Two view types share one provider: `.onnx` opens in Model Lens by default, `.json` only on request.
const inModelLens = 'activeCustomEditorId =~ /^modelLens\\.editor/';

const commands = [
  { command: 'modelLens.openWith', title: '%command.openWith%', category: 'Model Lens', icon: '$(type-hierarchy)' },
  { command: 'modelLens.showGraph', title: '%command.showGraph%', category: 'Model Lens', icon: '$(type-hierarchy)' },
  { command: 'modelLens.showParameters', title: '%command.showParameters%', category: 'Model Lens', icon: '$(symbol-numeric)' },
  { command: 'modelLens.showRun', title: '%command.showRun%', category: 'Model Lens', icon: '$(play)' },
  { command: 'modelLens.showOverview', title: '%command.showOverview%', category: 'Model Lens', icon: '$(info)' },
  { command: 'modelLens.revealInGraph', title: '%command.revealInGraph%', category: 'Model Lens', icon: '$(search)' },
  { command: 'modelLens.export', title: '%command.export%', category: 'Model Lens', icon: '$(export)' },
  { command: 'modelLens.reload', title: '%command.reload%', category: 'Model Lens', icon: '$(refresh)' },
  { command: 'modelLens.installCudaSupport', title: '%command.installCudaSupport%', category: 'Model Lens' },
];

pkg.displayName = 'Model Lens';
pkg.categories = ['Visualization', 'Machine Learning', 'Data Science', 'Other'];
pkg.keywords = ['onnx', 'tensorflow.js', 'tfjs', 'neural network', 'model viewer', 'graph', 'weights', 'histogram', 'inference', 'onnxruntime'];
pkg.icon = 'media/icon.png';
pkg.galleryBanner = { color: '#1e1e2e', theme: 'dark' };
pkg.extensionKind = ['workspace'];
pkg.capabilities = {
  untrustedWorkspaces: {
    supported: 'limited',
    description: '%capabilities.untrustedWorkspaces%',
  },
  virtualWorkspaces: false,
};
// Custom editors and commands activate implicitly; JSON files activate the TF.js "Open in Model Lens" offer.
pkg.activationEvents = ['onLanguage:json', 'onLanguage:jsonc'];
pkg.contributes = {
  customEditors: [
    {
      viewType: 'modelLens.editor',
      displayName: 'Model Lens',
      selector: [{ filenamePattern: '*.onnx' }],
      priority: 'default',
    },
    {
      // Priority is per entry, so JSON (a generic name) gets its own view type, offered as an option.
      viewType: 'modelLens.editor.json',
      displayName: 'Model Lens (TensorFlow.js)',
      selector: [{ filenamePattern: '*.json' }],
      priority: 'option',
    },
  ],
  commands,
  menus: {
    commandPalette: [
      { command: 'modelLens.showGraph', when: inModelLens },
      { command: 'modelLens.showParameters', when: inModelLens },
      { command: 'modelLens.showRun', when: inModelLens },
      { command: 'modelLens.showOverview', when: inModelLens },
      { command: 'modelLens.revealInGraph', when: inModelLens },
      { command: 'modelLens.export', when: inModelLens },
      { command: 'modelLens.reload', when: inModelLens },
      // onnxruntime-node's CUDA provider exists for Linux x64 only (the command says so on arm64).
      { command: 'modelLens.installCudaSupport', when: 'isLinux' },
    ],
    'editor/title': [
      { command: 'modelLens.openWith', when: 'modelLens.activeEditorIsTfjsModel && !activeCustomEditorId', group: 'navigation' },
      { command: 'modelLens.revealInGraph', when: inModelLens, group: 'navigation@1' },
      { command: 'modelLens.export', when: inModelLens, group: 'navigation@2' },
    ],
    'explorer/context': [
      { command: 'modelLens.openWith', when: isModelFile, group: 'navigation@20' },
      { submenu: 'modelLens.explorer', when: isModelFile, group: 'navigation@21' },
    ],
    'modelLens.explorer': [
      { command: 'modelLens.showGraph', group: '1_views@1' },
      { command: 'modelLens.showParameters', group: '1_views@2' },
      { command: 'modelLens.showRun', group: '1_views@3' },
      { command: 'modelLens.showOverview', group: '1_views@4' },
      { command: 'modelLens.revealInGraph', group: '2_actions@1' },
      { command: 'modelLens.export', group: '2_actions@2' },
    ],
  },
  submenus: [{ id: 'modelLens.explorer', label: 'Model Lens' }],
  keybindings: [
    { command: 'modelLens.revealInGraph', key: 'ctrl+shift+g', mac: 'cmd+shift+g', when: inModelLens },
  ],
  configuration: {
    title: 'Model Lens',
    properties: {
      'modelLens.graph.direction': {
        type: 'string', enum: ['TB', 'LR'], default: 'TB',
        enumDescriptions: ['%config.graph.direction.TB%', '%config.graph.direction.LR%'],
        description: '%config.graph.direction%',
      },
      'modelLens.graph.collapseAbove': {
        type: 'integer', default: 400, minimum: 0,
        description: '%config.graph.collapseAbove%',
      },
      'modelLens.runtime.provider': {
        type: 'string', enum: ['auto', 'cpu', 'webgpu', 'cuda', 'dml', 'coreml'], default: 'auto',
        enumDescriptions: [
          '%config.runtime.provider.auto%', '%config.runtime.provider.cpu%', '%config.runtime.provider.webgpu%',
          '%config.runtime.provider.cuda%', '%config.runtime.provider.dml%', '%config.runtime.provider.coreml%',
        ],
        description: '%config.runtime.provider%',
      },
      'modelLens.stats.histogramBins': {
        type: 'integer', default: 64, minimum: 4, maximum: 4096,
        description: '%config.stats.histogramBins%',
      },
      'modelLens.parse.timeBudgetSeconds': {
        type: 'integer', default: 60, minimum: 1, maximum: 3600,
        description: '%config.parse.timeBudgetSeconds%',
      },
    },
  },
};

writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: contributes, activationEvents and gallery fields written');
