import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../infra/local/runtime.ts';

/** `npm start`'s entry as a child process on a free port. */
export const startCli = async (folder: string) => {
  const child = spawn(process.execPath, [join(ROOT, 'infra/local/start.ts')], {
    env: { ...process.env, PORT: '0', DATA_DIR: folder, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolveUrl, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolveUrl(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`exited: ${out}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, url, exited, output: () => out };
};

export const javaUsing = (folder: string): boolean =>
  spawnSync('pgrep', ['-f', `java.*${folder}`], { encoding: 'utf8' }).stdout.trim() !== '';
