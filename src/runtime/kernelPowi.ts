// libsvm's powi (sklearn/svm/src/libsvm/svm.cpp): base^times by square and multiply, in double.

export function kernelPowi(base: number, times: number): number {
  let tmp = base;
  let ret = 1.0;
  for (let t = times; t > 0; t = Math.trunc(t / 2)) {
    if (t % 2 === 1) ret *= tmp;
    tmp = tmp * tmp;
  }
  return ret;
}
