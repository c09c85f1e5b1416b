import { describe, expect, it } from 'vitest';
import { fromLambdaResult, toApiGatewayEvent } from '../../infra/local/event.ts';
import { findRoute } from '../../shared/routes.ts';

const route = findRoute('GET', '/api/staff/me')?.route;

describe('local gateway event shape (HTTP API payload 2.0)', () => {
  it('builds the fields API Gateway fills', () => {
    if (!route) throw new Error('route missing');
    const event = toApiGatewayEvent(
      {
        method: 'GET',
        url: new URL('http://x/api/staff/me?a=1&a=2&b=%E4%B8%AD'),
        headers: { Host: '127.0.0.1:3000', 'X-Trace': ['a', 'b'], cookie: 'c1=1; c2=2' } as never,
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
      },
      route,
      {},
      { sub: 'abc', 'cognito:groups': '[lead]' },
    );
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /api/staff/me');
    expect(event.rawPath).toBe('/api/staff/me');
    expect(event.rawQueryString).toBe('a=1&a=2&b=%E4%B8%AD');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: '中' });
    expect(event.headers['x-trace']).toBe('a,b');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['c1=1', 'c2=2']);
    expect(event.requestContext.authorizer.jwt.claims).toEqual({ sub: 'abc', 'cognito:groups': '[lead]' });
    expect(event.requestContext.http.method).toBe('GET');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes binary bodies base64-encoded and text bodies as they are', () => {
    if (!route) throw new Error('route missing');
    const request = (type: string, body: Buffer) =>
      toApiGatewayEvent(
        {
          method: 'POST',
          url: new URL('http://x/api/staff/me'),
          headers: { 'content-type': type },
          body,
          sourceIp: '::1',
        },
        route,
        {},
        undefined,
      );
    const binary = request(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      Buffer.from([0, 255, 1]),
    );
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? '', 'base64')).toEqual(Buffer.from([0, 255, 1]));
    const text = request('application/json; charset=utf-8', Buffer.from('{"a":"中"}'));
    expect(text).toMatchObject({ isBase64Encoded: false, body: '{"a":"中"}' });
  });

  it('maps results as API Gateway does, including a bare object as 200 JSON', () => {
    expect(fromLambdaResult({ ok: 1 } as never)).toMatchObject({ status: 200, body: Buffer.from('{"ok":1}') });
    const binary = fromLambdaResult({
      statusCode: 201,
      body: Buffer.from('hi').toString('base64'),
      isBase64Encoded: true,
    });
    expect(binary.status).toBe(201);
    expect(binary.body.toString()).toBe('hi');
    expect(fromLambdaResult({ statusCode: 204, headers: { 'X-A': 'b' }, cookies: ['s=1'] })).toMatchObject({
      status: 204,
      headers: { 'x-a': 'b' },
      cookies: ['s=1'],
    });
  });
});
