export { SpdyConnection, type SpdyConnectionOptions } from './connection.js';
export { SpdyStream, StreamResetError } from './stream.js';
export { headerValue, normalizeHeaders, type HeadersInit, type SpdyHeaders } from './header-block.js';
export { RstStatus, SpdyProtocolError } from './frames.js';
