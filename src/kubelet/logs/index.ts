// Container log files in the CRI format: the writer runtimes feed, the reader `kubectl logs` uses.
export type { LogOptions } from './log-options.js';
export * from './cri-log-format.js';
export { listRotatedLogs, rotatedName, rotationStamp } from './log-files.js';
export {
  ContainerLogWriter,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_LOG_FILES,
  DEFAULT_MAX_LOG_SIZE,
  type ContainerLogWriterOptions,
} from './log-writer.js';
export { readContainerLog, type ReadContainerLogDeps } from './log-reader.js';
