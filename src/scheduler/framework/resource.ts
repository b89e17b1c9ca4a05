// Compute resources as the scheduler counts them (upstream's framework.Resource). The logic is
// shared with the kubelet's admission and lives in the API model (src/api/resources).
export * from '../../api/resources/pod-resources.js';
