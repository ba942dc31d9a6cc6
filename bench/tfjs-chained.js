// tfjs-layers calls tfjs-core's chained methods (`x.add(y)`), which tfjs-core's CommonJS build does
// not register: the benchmarks that run TF.js in Node register them once here.
export function registerChainedOps(tfc) {
  for (const [name, fn] of Object.entries(tfc)) {
    if (typeof fn === "function" && /^[a-z]/.test(name) && !(name in tfc.Tensor.prototype)) {
      tfc.Tensor.prototype[name] = function (...a) {
        return fn(this, ...a);
      };
    }
  }
  tfc.Tensor.prototype.flatten = function () {
    return tfc.reshape(this, [this.size]);
  };
}
