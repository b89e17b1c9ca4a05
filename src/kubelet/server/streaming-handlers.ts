// Upgrade requests of the node server: exec, attach and port-forward over WebSocket or SPDY/3.1.
// Everything that can fail with a Status (bad query, unknown pod, no common protocol) is checked
// before the 101, so the client gets a proper HTTP error; after it, the session owns the socket.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { HostError, type KubeletHost } from './host.js';
import type { Route } from './routes.js';
import { rejectUpgradeWithStatus } from './status-response.js';
import {
  acceptSpdyUpgrade,
  isSpdyUpgrade,
  isWebSocketUpgrade,
  offeredStreamProtocols,
  SPDY_TUNNEL_PREFIX,
  streamHandshake,
} from '../streaming/http-upgrade.js';
import { negotiateChannelProtocol, parseProtocolHeader, PORT_FORWARD_WS_PROTOCOLS, REMOTE_COMMAND_WS_PROTOCOLS } from '../streaming/channel/protocol.js';
import { parseCommand, parseRemoteCommandOptions } from '../streaming/remotecommand/options.js';
import { serveRemoteCommand, type RemoteCommand } from '../streaming/remotecommand/session.js';
import { websocketSession } from '../streaming/remotecommand/ws-session.js';
import { acceptSpdySession, REMOTE_COMMAND_SPDY_PROTOCOLS } from '../streaming/remotecommand/spdy-session.js';
import { PORT_FORWARD_PROTOCOL, serveSpdyPortForward } from '../streaming/portforward/spdy-portforward.js';
import { parsePortsQuery, serveWebSocketPortForward } from '../streaming/portforward/ws-portforward.js';
import { websocketDuplex } from '../streaming/websocket-duplex.js';

export interface StreamingContext {
  host: KubeletHost;
  /** A noServer WebSocketServer that announces `chosenProtocol` of each request in its 101. */
  wss: WebSocketServer;
  chosenProtocol: WeakMap<IncomingMessage, string>;
  streamCreationTimeoutMs: number;
}

type StreamRoute = Extract<Route, { kind: 'exec' | 'attach' | 'portforward' }>;

export async function handleStreamingUpgrade(ctx: StreamingContext, route: StreamRoute, query: URLSearchParams, req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
  try {
    if (route.kind === 'portforward') await portForward(ctx, route, query, req, socket, head);
    else await remoteCommand(ctx, route, query, req, socket, head);
  } catch (err) {
    if (socket.destroyed || socket.writableEnded) return;
    if (err instanceof HostError) return rejectUpgradeWithStatus(socket, err.code, err.message, err.reason);
    rejectUpgradeWithStatus(socket, 500, (err as Error).message);
  }
}

async function remoteCommand(ctx: StreamingContext, route: Extract<Route, { kind: 'exec' | 'attach' }>, query: URLSearchParams, req: IncomingMessage, socket: Socket, head: Buffer) {
  const options = parseRemoteCommandOptions(query);
  if ('error' in options) return rejectUpgradeWithStatus(socket, 400, options.error);
  const cmd = parseCommand(query);
  if (route.kind === 'exec' && cmd.length === 0) return rejectUpgradeWithStatus(socket, 400, 'you must specify at least one command for the container');
  const target = await ctx.host.resolveContainer(route.namespace, route.pod, route.container, { uid: route.uid });
  const command: RemoteCommand = route.kind === 'exec' ? { kind: 'exec', containerId: target.containerId, cmd } : { kind: 'attach', containerId: target.containerId };

  if (isWebSocketUpgrade(req)) {
    const protocol = negotiateChannelProtocol(parseProtocolHeader(req.headers['sec-websocket-protocol']), REMOTE_COMMAND_WS_PROTOCOLS);
    if (!protocol) return rejectUpgradeWithStatus(socket, 403, `requested protocol(s) are not supported; supports ${REMOTE_COMMAND_WS_PROTOCOLS.map((p) => p.name).filter(Boolean).join(', ')}`);
    const ws = await upgradeWebSocket(ctx, req, socket, head, protocol.name);
    await serveRemoteCommand(ctx.host.runtime, command, websocketSession(ws, protocol, options));
    return;
  }
  if (isSpdyUpgrade(req)) {
    const hs = streamHandshake(offeredStreamProtocols(req), REMOTE_COMMAND_SPDY_PROTOCOLS);
    if ('status' in hs) return rejectUpgradeWithStatus(socket, hs.status, hs.message, undefined, hs.headers);
    socket.setNoDelay(true);
    acceptSpdyUpgrade(socket, head, hs.protocol);
    const session = await acceptSpdySession(socket, { protocol: hs.protocol, options, streamCreationTimeoutMs: ctx.streamCreationTimeoutMs }).catch(() => null);
    if (session) await serveRemoteCommand(ctx.host.runtime, command, session);
    return;
  }
  rejectUpgradeWithStatus(socket, 400, 'unable to upgrade: missing upgrade headers in request');
}

async function portForward(ctx: StreamingContext, route: Extract<Route, { kind: 'portforward' }>, query: URLSearchParams, req: IncomingMessage, socket: Socket, head: Buffer) {
  const sandbox = await ctx.host.resolveSandbox(route.namespace, route.pod, route.uid);
  const common = {
    forward: (port: number, stream: import('node:stream').Duplex) => ctx.host.runtime.portForward(sandbox, port, stream),
    pod: route.pod,
    uid: route.uid ?? '',
  };
  if (isWebSocketUpgrade(req)) {
    const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
    const tunnel = offered.find((p) => p === SPDY_TUNNEL_PREFIX + PORT_FORWARD_PROTOCOL);
    if (tunnel) {
      const ws = await upgradeWebSocket(ctx, req, socket, head, tunnel);
      serveSpdyPortForward(websocketDuplex(ws), { ...common, streamCreationTimeoutMs: ctx.streamCreationTimeoutMs });
      return;
    }
    const ports = parsePortsQuery(query);
    if (!Array.isArray(ports)) return rejectUpgradeWithStatus(socket, 400, ports.error);
    const protocol = negotiateChannelProtocol(offered, PORT_FORWARD_WS_PROTOCOLS);
    if (!protocol) return rejectUpgradeWithStatus(socket, 403, `requested protocol(s) are not supported; supports ${PORT_FORWARD_WS_PROTOCOLS.map((p) => p.name).filter(Boolean).join(', ')}`);
    const ws = await upgradeWebSocket(ctx, req, socket, head, protocol.name);
    await serveWebSocketPortForward(ws, protocol, ports, common);
    return;
  }
  if (isSpdyUpgrade(req)) {
    const hs = streamHandshake(offeredStreamProtocols(req), [PORT_FORWARD_PROTOCOL]);
    if ('status' in hs) return rejectUpgradeWithStatus(socket, hs.status, hs.message, undefined, hs.headers);
    socket.setNoDelay(true);
    acceptSpdyUpgrade(socket, head, hs.protocol);
    serveSpdyPortForward(socket, { ...common, streamCreationTimeoutMs: ctx.streamCreationTimeoutMs });
    return;
  }
  rejectUpgradeWithStatus(socket, 400, 'unable to upgrade: missing upgrade headers in request');
}

function upgradeWebSocket(ctx: StreamingContext, req: IncomingMessage, socket: Socket, head: Buffer, protocol: string): Promise<WebSocket> {
  ctx.chosenProtocol.set(req, protocol);
  delete req.headers['sec-websocket-protocol']; // see the 'headers' hook in kubelet-server.ts
  socket.setNoDelay(true);
  return new Promise((resolve) => ctx.wss.handleUpgrade(req, socket, head, (ws) => resolve(ws)));
}
