export { cameraState$ } from './camera-state.js';
export { publishJson } from './publish-json.js';
export { publishSnapshots } from './publish-snapshots.js';
export { publishState, type StateTarget } from './publish-state.js';
export { assignCameras, type WorkerSlot } from './fleet/assign-cameras.js';
export { OWNERSHIP_SUBJECT, openFleet, type CameraLease, type FleetBuckets, type FleetCamera, type FleetCameraState, type OwnershipEvent, type WorkerHeartbeat } from './fleet/fleet.js';
export { startFleetWorker, type FleetWorker, type FleetWorkerOptions } from './fleet/fleet-worker.js';
