import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A post a robot received: when, whether it was taken, and its JSON. */
export interface RobotPost {
  at: number;
  ok: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: the post as sent, read field by field by the tests
  body: any;
}

/**
 * A WeCom group robot on 127.0.0.1 (a free port) for the digest tests: it hands each post to
 * `onPost` and takes it while `answer()` says `ok`, else refuses it as WeCom does a robot posted to
 * too fast (errcode 45009, HTTP 200). `origin` is where it listens; `server.close()` stops it.
 */
export const startWecomRobot = async (answer: () => 'ok' | 'too-fast', onPost: (post: RobotPost) => void) => {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const ok = answer() === 'ok';
      onPost({ at: Date.now(), ok, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 45009, errmsg: 'api freq out of limit' }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
