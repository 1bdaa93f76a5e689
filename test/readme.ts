// npm run docs:readme: rewrites the README's generated blocks (test/readmeBlocks.ts) in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { readmeBlocks, regenerateReadme } from './readmeBlocks.js';

const before = readFileSync('README.md', 'utf8');
const after = await regenerateReadme(before, await readmeBlocks());
if (after !== before) writeFileSync('README.md', after);
process.stdout.write(`README.md ${after === before ? 'already up to date' : 'regenerated'}\n`);
