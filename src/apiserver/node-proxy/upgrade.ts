// HTTP/1.1 upgrade requests (WebSocket, SPDY/3.1) arrive as the server's 'upgrade' event with a raw
// socket and no response object. They are given a ServerResponse bound to that socket, so the normal
// pipeline (authentication, authorization, validation, Status errors) runs unchanged; a handler that
// accepts the upgrade takes the socket over with takeOverUpgrade().
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Req, Res } from '../http/types.js';

const UPGRADE = Symbol('k8ts.upgrade');

export interface UpgradeContext {
  socket: Duplex;
  /** Bytes the client sent after the request head (already read off the socket). */
  head: Buffer;
  /** Set once a handler owns the socket. */
  taken: boolean;
}

/**
 * Prepares an upgrade request for the router: returns the response to hand it. An error response
 * closes the connection once written; a handler that takes the socket over keeps it.
 */
export function prepareUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): ServerResponse {
  const ctx: UpgradeContext = { socket, head, taken: false };
  (req as unknown as Record<symbol, UpgradeContext>)[UPGRADE] = ctx;
  socket.on('error', () => socket.destroy());
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as never);
  res.on('finish', () => {
    if (!ctx.taken) socket.end();
  });
  return res;
}

/** The upgrade context of a request that came through prepareUpgrade, if it did. */
export function upgradeOf(req: Req): UpgradeContext | undefined {
  return (req as unknown as Record<symbol, UpgradeContext | undefined>)[UPGRADE];
}

/** Takes the raw socket away from the response (the caller now writes the HTTP response itself). */
export function takeOverUpgrade(req: Req, res: Res): UpgradeContext {
  const ctx = upgradeOf(req);
  if (!ctx) throw new Error('not an upgrade request');
  ctx.taken = true;
  (res as ServerResponse).detachSocket(ctx.socket as never);
  return ctx;
}

/** Whether the request asks to switch protocols (Connection: Upgrade with an Upgrade header). */
export function isUpgradeRequest(req: Req): boolean {
  const connection = String(req.headers.connection ?? '').toLowerCase();
  return !!req.headers.upgrade && connection.split(',').some((t) => t.trim() === 'upgrade');
}
