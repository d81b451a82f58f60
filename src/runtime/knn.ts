// scikit-learn's k-nearest-neighbours prediction (KNeighborsClassifier, KNeighborsRegressor) over the stored training
// set, as the library computes it: metrics/_pairwise_distances_reduction/_argkmin.pyx.tp (EuclideanArgKmin: the
// squared distance ‖x‖² + (-2·x·y) + ‖y‖² from BLAS dot products, clipped at 0; ArgKmin and ArgKminClassMode: the
// metric's rdist), utils/_heap.pyx heap_push (a fixed-size max-heap fed in training order), utils/_sorting.pyx
// simultaneous_sort, neighbors/_base.py _get_weights, neighbors/_classification.py predict / predict_proba,
// utils/extmath.py weighted_mode, neighbors/_regression.py predict (numpy's pairwise sums).
import { fmaFast } from "./math/fma.ts";
import { skPairwiseSum } from "./skSoftmax.ts";

/**
 * The fused multiply-add of the BLAS dot products (OpenBLAS's FMA kernels): exact (fmaFast) in its safe range; outside
 * it (a zero factor, or magnitudes beyond 2^±968) the product and the sum rounded separately.
 */
export function knnFma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (ap > 4.008336720017946e-292 && ap < 1.1235582092889474e307 && aa < 3.3484643974570854e299 && ab < 3.3484643974570854e299 && aa > 9.332636185032189e-302 && ab > 9.332636185032189e-302 && Math.abs(c) < 1.1235582092889474e307) {
    return fmaFast(a, b, c);
  }
  return p + c;
}

/** ‖y‖² of each of the nS rows of X (width W) into N: a chain of fused multiply-adds from 0 (BLAS ddot). */
export function knnRowNorms(X: ArrayLike<number>, nS: number, W: number, N: Float64Array): void {
  for (let s = 0; s < nS; s++) {
    const o = s * W;
    let acc = 0;
    for (let i = 0; i < W; i++) acc = knnFma(X[o + i]!, X[o + i]!, acc);
    N[s] = acc;
  }
}

/** heap_push: (v, j) into the max-heap of k values at D (indices at I) unless v >= its maximum. */
export function knnHeapPush(D: Float64Array, I: Int32Array, k: number, v: number, j: number): void {
  if (v >= D[0]!) return;
  let cur = 0;
  for (;;) {
    const l = 2 * cur + 1;
    const r = l + 1;
    let sw = 0;
    if (l >= k) break;
    else if (r >= k) {
      if (D[l]! > v) sw = l;
      else break;
    } else if (D[l]! >= D[r]!) {
      if (v < D[l]!) sw = l;
      else break;
    } else {
      if (v < D[r]!) sw = r;
      else break;
    }
    D[cur] = D[sw]!;
    I[cur] = I[sw]!;
    cur = sw;
  }
  D[cur] = v;
  I[cur] = j;
}

function knn_swap(D: Float64Array, I: Int32Array, a: number, b: number): void {
  const t = D[a]!;
  D[a] = D[b]!;
  D[b] = t;
  const u = I[a]!;
  I[a] = I[b]!;
  I[b] = u;
}

/** sift_down of simultaneous_sort's heapsort over D[o + start .. o + end). */
function knn_siftDown(D: Float64Array, I: Int32Array, o: number, start: number, end: number): void {
  let root = start;
  for (;;) {
    const child = root * 2 + 1;
    let maxind = root;
    if (child < end && D[o + maxind]! < D[o + child]!) maxind = child;
    if (child + 1 < end && D[o + maxind]! < D[o + child + 1]!) maxind = child + 1;
    if (maxind === root) break;
    knn_swap(D, I, o + root, o + maxind);
    root = maxind;
  }
}

/**
 * simultaneous_sort of D[0 .. n) with I. sort 0: the introsort of scikit-learn >= 1.9 (pull request 33252: 2-way partitions, insertion
 * sort at 15 values or fewer, heapsort past 2·floor(log2 n) levels); sort 1: the recursive quicksort before it
 * (median of three, Lomuto partition, sizes 2 and 3 by hand). Both visit disjoint parts, so the parts left to sort
 * wait on a stack (S: 3 ints per part, 3·(n + 1) in all) instead of recursion.
 */
export function knnSort(D: Float64Array, I: Int32Array, n: number, sort: number, S: Int32Array): void {
  if (n === 0) return;
  let lg = 0;
  while (2 ** (lg + 1) <= n) lg++;
  let top = 0;
  S[0] = 0;
  S[1] = n;
  S[2] = 2 * lg;
  top = 1;
  while (top > 0) {
    top--;
    let o = S[3 * top]!;
    let m = S[3 * top + 1]!;
    let maxd = S[3 * top + 2]!;
    if (sort === 1) {
      if (m <= 1) continue;
      if (m === 2) {
        if (D[o]! > D[o + 1]!) knn_swap(D, I, o, o + 1);
        continue;
      }
      if (m === 3) {
        if (D[o]! > D[o + 1]!) knn_swap(D, I, o, o + 1);
        if (D[o + 1]! > D[o + 2]!) {
          knn_swap(D, I, o + 1, o + 2);
          if (D[o]! > D[o + 1]!) knn_swap(D, I, o, o + 1);
        }
        continue;
      }
      const mid = Math.floor(m / 2);
      if (D[o]! > D[o + m - 1]!) knn_swap(D, I, o, o + m - 1);
      if (D[o + m - 1]! > D[o + mid]!) {
        knn_swap(D, I, o + m - 1, o + mid);
        if (D[o]! > D[o + m - 1]!) knn_swap(D, I, o, o + m - 1);
      }
      const pv = D[o + m - 1]!;
      let st = 0;
      for (let i = 0; i < m - 1; i++) {
        if (D[o + i]! < pv) {
          knn_swap(D, I, o + i, o + st);
          st++;
        }
      }
      knn_swap(D, I, o + st, o + m - 1);
      if (st > 1) {
        S[3 * top] = o;
        S[3 * top + 1] = st;
        S[3 * top + 2] = 0;
        top++;
      }
      if (st + 2 < m) {
        S[3 * top] = o + st + 1;
        S[3 * top + 1] = m - st - 1;
        S[3 * top + 2] = 0;
        top++;
      }
      continue;
    }
    let heaped = false;
    while (m > 15) {
      if (maxd <= 0) {
        // heapsort
        let start = Math.floor((m - 2) / 2);
        for (;;) {
          knn_siftDown(D, I, o, start, m);
          if (start === 0) break;
          start--;
        }
        for (let end = m - 1; end > 0; end--) {
          knn_swap(D, I, o, o + end);
          knn_siftDown(D, I, o, 0, end);
        }
        heaped = true;
        break;
      }
      maxd--;
      // inplace_median3
      const mid = Math.floor(m / 2);
      if (D[o]! > D[o + m - 1]!) knn_swap(D, I, o, o + m - 1);
      if (D[o + m - 1]! > D[o + mid]!) {
        knn_swap(D, I, o + m - 1, o + mid);
        if (D[o]! > D[o + m - 1]!) knn_swap(D, I, o, o + m - 1);
      }
      const pv = D[o + m - 1]!;
      let i = 1;
      let j = m - 2;
      for (;;) {
        while (i <= j && D[o + i]! < pv) i++;
        while (i <= j && D[o + j]! > pv) j--;
        if (i >= j) break;
        knn_swap(D, I, o + i, o + j);
        i++;
        j--;
      }
      knn_swap(D, I, o + i, o + m - 1);
      S[3 * top] = o;
      S[3 * top + 1] = i;
      S[3 * top + 2] = maxd;
      top++;
      o += i + 1;
      m -= i + 1;
    }
    if (heaped) continue;
    for (let i = 1; i < m; i++) {
      const tv = D[o + i]!;
      const ti = I[o + i]!;
      let j = i;
      while (j > 0 && D[o + j - 1]! > tv) {
        D[o + j] = D[o + j - 1]!;
        I[o + j] = I[o + j - 1]!;
        j--;
      }
      D[o + j] = tv;
      I[o + j] = ti;
    }
  }
}

/**
 * The k nearest of the nS rows of X (width W) to the row at x[xo ..]: their distances into D (ascending) and indices
 * into I, as scikit-learn's ArgKmin finds them. metric 0: EuclideanArgKmin, s = max(0, (‖x‖² + -2·(x·y)) + N[j]) (NaN: 0) with
 * the dot products as fused multiply-add chains (knnRowNorms); 1: Σ (x_i - y_i)² in order; 2: Σ |x_i - y_i| in order.
 * The heap starts with k entries (empty, 0): DBL_MAX in ArgKmin, +inf in kd_tree and ball_tree's NeighborsHeap; a
 * distance >= empty never enters. Every row is pushed in training order (knnHeapPush); with merge 1 (the parallel_on_Y strategy, one thread or one
 * chunk of training rows) that heap's k entries are then pushed, in array order, into a fresh heap (D2, I2: scratch
 * of k), as _parallel_on_Y_synchronize does. The heap is sorted (knnSort), and the squared distances of metrics 0
 * and 1 become sqrt(max(s, 0)). S: knnSort's stack.
 */
export function knnSearch(
  X: ArrayLike<number>,
  N: Float64Array,
  nS: number,
  W: number,
  x: ArrayLike<number>,
  xo: number,
  metric: number,
  k: number,
  sort: number,
  merge: number,
  empty: number,
  D: Float64Array,
  I: Int32Array,
  D2: Float64Array,
  I2: Int32Array,
  S: Int32Array,
): void {
  for (let i = 0; i < k; i++) {
    D[i] = empty;
    I[i] = 0;
  }
  let xn = 0;
  if (metric === 0) for (let i = 0; i < W; i++) xn = knnFma(x[xo + i]!, x[xo + i]!, xn);
  for (let s = 0; s < nS; s++) {
    const o = s * W;
    let d = 0;
    if (metric === 0) {
      let dot = 0;
      for (let i = 0; i < W; i++) dot = knnFma(x[xo + i]!, X[o + i]!, dot);
      d = xn + -2 * dot + N[s]!;
      if (!(d > 0)) d = 0; // Cython max(0., d): NaN and -0 become 0
    } else if (metric === 1) {
      for (let i = 0; i < W; i++) {
        const t = x[xo + i]! - X[o + i]!;
        d += t * t;
      }
    } else {
      for (let i = 0; i < W; i++) d += Math.abs(x[xo + i]! - X[o + i]!);
    }
    knnHeapPush(D, I, k, d, s);
  }
  if (merge === 1) {
    for (let i = 0; i < k; i++) {
      D2[i] = D[i]!;
      I2[i] = I[i]!;
      D[i] = empty;
      I[i] = 0;
    }
    for (let i = 0; i < k; i++) knnHeapPush(D, I, k, D2[i]!, I2[i]!);
  }
  knnSort(D, I, k, sort, S);
  if (metric !== 2) {
    for (let i = 0; i < k; i++) {
      const v = D[i]!;
      D[i] = Math.sqrt(0 > v ? 0 : v); // Cython max(d, 0.)
    }
  }
}

/**
 * _get_weights into T: 1 (weights 0, uniform) or 1 / d (1, distance), where a row with an infinite 1 / d (d = 0)
 * keeps 1 for those neighbours and 0 for the others.
 */
export function knnWeights(D: Float64Array, k: number, weights: number, T: Float64Array): void {
  let inf = false;
  for (let i = 0; i < k; i++) {
    const w = weights === 0 ? 1 : 1 / D[i]!;
    T[i] = w;
    if (w === Infinity || w === -Infinity) inf = true;
  }
  if (inf) for (let i = 0; i < k; i++) T[i] = T[i] === Infinity || T[i] === -Infinity ? 1 : 0;
}

/**
 * KNeighborsClassifier: the nC class probabilities into P at po (each neighbour's weight added to its class in
 * neighbour order, divided by the pairwise sum of the row; a zero sum divides by 1) and the predicted class index:
 * uniform weights the first maximum, distance weights weighted_mode (per class in order, the pairwise sum over the
 * k neighbours of their weights or 0; the first strictly greater than the best so far, from 0, class 0 if none).
 * L: class index of each training row; T, U: scratch of k values.
 */
export function knnClassify(
  D: Float64Array,
  I: Int32Array,
  k: number,
  L: ArrayLike<number>,
  nC: number,
  weights: number,
  P: Float64Array,
  po: number,
  T: Float64Array,
  U: Float64Array,
): number {
  knnWeights(D, k, weights, T);
  for (let c = 0; c < nC; c++) P[po + c] = 0;
  for (let i = 0; i < k; i++) {
    const c = L[I[i]!]!;
    P[po + c] = P[po + c]! + T[i]!;
  }
  let s = 0 + skPairwiseSum(P, po, nC);
  if (s === 0) s = 1;
  for (let c = 0; c < nC; c++) P[po + c] = P[po + c]! / s;
  let cls = 0;
  if (weights === 0) {
    let bv = P[po]!;
    for (let c = 1; c < nC; c++) {
      if (P[po + c]! > bv) {
        bv = P[po + c]!;
        cls = c;
      }
    }
    return cls;
  }
  let best = 0;
  for (let c = 0; c < nC; c++) {
    for (let i = 0; i < k; i++) U[i] = L[I[i]!] === c ? T[i]! : 0;
    const v = 0 + skPairwiseSum(U, 0, k);
    if (v > best) {
      best = v;
      cls = c;
    }
  }
  return cls;
}

/**
 * KNeighborsRegressor: the nT predictions into R at ro from the targets Y (nS × nT). Uniform: np.mean over the
 * neighbours, a pairwise sum for one target and a sum in neighbour order (from the first) for several, divided by k.
 * Distance: per target the pairwise sum of y·w over the pairwise sum of w. T, U: scratch of k values.
 */
export function knnRegress(
  D: Float64Array,
  I: Int32Array,
  k: number,
  Y: ArrayLike<number>,
  nT: number,
  weights: number,
  R: Float64Array,
  ro: number,
  T: Float64Array,
  U: Float64Array,
): void {
  if (weights === 0) {
    for (let j = 0; j < nT; j++) {
      let s: number;
      if (nT === 1) {
        for (let i = 0; i < k; i++) U[i] = Y[I[i]!]!;
        s = 0 + skPairwiseSum(U, 0, k);
      } else {
        s = Y[I[0]! * nT + j]!;
        for (let i = 1; i < k; i++) s += Y[I[i]! * nT + j]!;
      }
      R[ro + j] = s / k;
    }
    return;
  }
  knnWeights(D, k, weights, T);
  const den = 0 + skPairwiseSum(T, 0, k);
  for (let j = 0; j < nT; j++) {
    for (let i = 0; i < k; i++) U[i] = Y[I[i]! * nT + j]! * T[i]!;
    R[ro + j] = (0 + skPairwiseSum(U, 0, k)) / den;
  }
}
