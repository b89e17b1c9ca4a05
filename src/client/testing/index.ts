// Test doubles for code built on the client: an in-memory API server behind the Transport
// interface, and fake time (re-exported from clock.ts).
export { FakeApiServer, mergePatch, type FakeApiOptions, type RecordedAction, type Reactor, type Verb } from './fake-api.js';
export { LineChannel } from './line-channel.js';
export { FakeClock, settle } from '../clock.js';
