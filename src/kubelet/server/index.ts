export { startKubeletServer, type KubeletServer, type KubeletServerOptions } from './kubelet-server.js';
export { HostError, type KubeletHost, type ResolvedContainer } from './host.js';
