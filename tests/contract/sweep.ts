// A record of every exchange sent through the validating proxy, and what it found.
import { expect } from 'vitest';
import { type Violation, violationsOf } from './prism.js';

export interface Exchange {
  method: string;
  url: string;
  status: number;
  /** The request is meant to be refused: the document must predict it (a request violation). */
  invalid: boolean;
  request: Violation[];
  response: Violation[];
}

export interface Call {
  method?: string;
  headers?: Record<string, string>;
  body?: RequestInit['body'];
  /** The status the API must answer. */
  status: number;
  /** A request the document itself forbids (bad parameters, no token): Prism must say so. */
  invalid?: boolean;
}

export class Sweep {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly base: string) {}

  /** Sends one request through the proxy; checks the status; returns the response, body read. */
  async send(url: string, call: Call): Promise<{ res: Response; body: Buffer }> {
    const method = call.method ?? 'GET';
    const res = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      headers: { 'accept-encoding': 'identity', ...call.headers },
      ...(call.body !== undefined && { body: call.body }),
    });
    const body = Buffer.from(await res.arrayBuffer());
    const found = violationsOf(res.headers);
    this.exchanges.push({
      method,
      url,
      status: res.status,
      invalid: !!call.invalid,
      request: found.filter((v) => v.location[0] === 'request'),
      response: found.filter((v) => v.location[0] !== 'request'),
    });
    expect(res.status, `${method} ${url}: ${body.toString().slice(0, 300)}`).toBe(call.status);
    return { res, body };
  }

  async json(url: string, call: Call = { status: 200 }): Promise<{ res: Response; data: any }> {
    const { res, body } = await this.send(url, call);
    return { res, data: body.length ? JSON.parse(body.toString()) : undefined };
  }

  /** Every violation, as lines a failing assertion prints. */
  problems(): string[] {
    return this.exchanges.flatMap((e) => {
      const where = `${e.method} ${e.url} -> ${e.status}`;
      const lines = e.response.map((v) => `${where}: response ${v.location.join('.')}: ${v.message}`);
      if (!e.invalid) lines.push(...e.request.map((v) => `${where}: request ${v.location.join('.')}: ${v.message}`));
      else if (!e.request.length) lines.push(`${where}: refused, but the document allows the request`);
      return lines;
    });
  }
}
