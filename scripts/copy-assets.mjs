// Copies the webview's static assets into dist/ after esbuild: the codicon font and stylesheet
// (the webview may only load from dist/ and media/). `node scripts/copy-assets.mjs`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const codicons = dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, f), join('dist/codicons', f));
