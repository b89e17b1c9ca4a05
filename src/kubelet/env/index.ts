export { containerEnv, type ContainerEnvOptions } from './container-env.js';
export {
  containerResourceValue, extractFieldPath, formatMap, goQuote, podFieldValue, volumeFieldValue, type NodeInfo,
} from './downward-api.js';
export { CREATE_CONTAINER_CONFIG_ERROR, ContainerConfigError, notFoundMessage } from './errors.js';
export { envMap, expand, expandCommand, expandSubPathExpr, mappingFor, type Mapping } from './expansion.js';
export type { IssuedToken, PodObjects, TokenRequest } from './pod-objects.js';
export { envVariableName, isServiceIPSet, serviceEnvMap, serviceEnvVars } from './service-env.js';
