// Before the tests: build dist/ afresh (worker threads and the CLI binary run the compiled code, which
// must be today's). After them: the repository's counterexamples/ must be exactly as it was, so
// no test archives into it by accident.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ARCHIVE = 'counterexamples';

function snapshot(): string {
  if (!existsSync(ARCHIVE)) return '';
  const h = createHash('sha256');
  for (const n of readdirSync(ARCHIVE).sort()) h.update(`${n}\0${readFileSync(join(ARCHIVE, n))}\0`);
  return h.digest('hex');
}

export default function setup(): () => void {
  // npm run build starts from an empty dist/: a module whose source is gone must not linger there
  // (archive/driverIdentity.ts imports every module under dist/drivers).
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const before = snapshot();
  return () => {
    if (snapshot() !== before) throw new Error(`a test wrote into the repository's ${ARCHIVE}/`);
  };
}
