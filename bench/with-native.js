// Preload that registers the deepts "native" backend (priority 0: never the default) for benches
// run before the runtime registers it itself: node --import ./bench/with-native.js bench/models.js --backends deepts-native
import * as dt from "../dist/tf.js";
import { createNativeBackend, nativeBackendStatus } from "../dist/runtime/backends/native/index.js";

const status = nativeBackendStatus();
if (!status.available) console.error(`deepts-native unavailable: ${status.reason}`);
else if (!dt.engine().registeredBackends().includes("native"))
  dt.registerBackend("native", () => createNativeBackend(), 0);
