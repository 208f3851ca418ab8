import type { Rule, RuleMeta } from './api.js';
import { unusedSuppression } from './unused-suppression.js';
import { parseError } from './parse-error.js';
import { portConflict } from './port-conflict.js';
import { duplicateJvmRoute } from './duplicate-jvm-route.js';
import { membershipMismatch } from './membership-mismatch.js';
import { unboundMulticast } from './unbound-multicast.js';
import { missingDistributable } from './missing-distributable.js';
import { ajpSecretMismatch } from './ajp-secret-mismatch.js';
import { ajpSecretRequired } from './ajp-secret-required.js';
import { managerOverridesCluster } from './manager-overrides-cluster.js';
import { stickySessionOff } from './sticky-session-off.js';
import { workerWithoutConnector } from './worker-without-connector.js';
import { routeMismatch } from './route-mismatch.js';
import { missingJvmRoute } from './missing-jvm-route.js';
import { undefinedWorker } from './undefined-worker.js';
import { unknownDirective } from './unknown-directive.js';
import { deprecatedDirective } from './deprecated-directive.js';
import { invalidWorkerName } from './invalid-worker-name.js';
import { jk2Unsupported } from './jk2-unsupported.js';
import { statusWorkerExposed } from './status-worker-exposed.js';
import { stickyForceWithoutSticky } from './sticky-force-without-sticky.js';
import { lbWithoutMembers } from './lb-without-members.js';
import { duplicateMount } from './duplicate-mount.js';
import { clusterClassVersion } from './cluster-class-version.js';
import { ignoredClusterAttribute } from './ignored-cluster-attribute.js';
import { clusterDefaultsReplaced } from './cluster-defaults-replaced.js';
import { invalidMulticastAddress } from './invalid-multicast-address.js';
import { sharedDeployerDir } from './shared-deployer-dir.js';
import { unresolvedVariable } from './unresolved-variable.js';
import { defaultShutdownCommand } from './default-shutdown-command.js';
import { ajpExposed } from './ajp-exposed.js';
import { unknownAttribute } from './unknown-attribute.js';

/** Every rule, in the order of the design's table. One explicit list: no folder scanning. */
export const rules: Rule[] = [parseError, portConflict, duplicateJvmRoute, membershipMismatch, missingDistributable, workerWithoutConnector, routeMismatch, missingJvmRoute, undefinedWorker, ajpSecretMismatch, ajpSecretRequired, managerOverridesCluster, unboundMulticast, clusterClassVersion, ignoredClusterAttribute, clusterDefaultsReplaced, unknownDirective, deprecatedDirective, invalidWorkerName, invalidMulticastAddress, sharedDeployerDir, unresolvedVariable, defaultShutdownCommand, ajpExposed, jk2Unsupported, stickySessionOff, statusWorkerExposed, stickyForceWithoutSticky, lbWithoutMembers, duplicateMount, unknownAttribute];

/** Every rule's metadata, the settle step's `unused-suppression` included. */
export const ruleMetas: RuleMeta[] = [...rules.map((r) => r.meta), unusedSuppression];
