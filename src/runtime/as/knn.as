// AssemblyScript port of src/runtime/knn.ts (scikit-learn's k nearest neighbours: distances, heap, simultaneous_sort,
// weights, classifier and regressor outputs), operation for operation. Arrays are in linear memory: f64 values, or
// i32 for indices, labels and the sort's stack.
// requires: fma.as, sk.as

// @ts-ignore: decorator
@inline function knn_f(a: usize, i: i32): usize {
  return a + (<usize>i << 3);
}

// @ts-ignore: decorator
@inline function knn_i(a: usize, i: i32): usize {
  return a + (<usize>i << 2);
}

function knnFma(a: f64, b: f64, c: f64): f64 {
  const p = a * b;
  const ap = abs<f64>(p);
  const aa = abs<f64>(a);
  const ab = abs<f64>(b);
  if (ap > 4.008336720017946e-292 && ap < 1.1235582092889474e307 && aa < 3.3484643974570854e299 && ab < 3.3484643974570854e299 && aa > 9.332636185032189e-302 && ab > 9.332636185032189e-302 && abs<f64>(c) < 1.1235582092889474e307) {
    return fmaFast(a, b, c);
  }
  return p + c;
}

function knnRowNorms(X: usize, nS: i32, W: i32, N: usize): void {
  for (let s = 0; s < nS; s++) {
    const o = s * W;
    let acc: f64 = 0.0;
    for (let i = 0; i < W; i++) {
      const v = load<f64>(knn_f(X, o + i));
      acc = knnFma(v, v, acc);
    }
    store<f64>(knn_f(N, s), acc);
  }
}

function knnHeapPush(D: usize, I: usize, k: i32, v: f64, j: i32): void {
  if (v >= load<f64>(D)) return;
  let cur = 0;
  for (;;) {
    const l = 2 * cur + 1;
    const r = l + 1;
    let sw: i32 = 0;
    if (l >= k) break;
    else if (r >= k) {
      if (load<f64>(knn_f(D, l)) > v) sw = l;
      else break;
    } else if (load<f64>(knn_f(D, l)) >= load<f64>(knn_f(D, r))) {
      if (v < load<f64>(knn_f(D, l))) sw = l;
      else break;
    } else {
      if (v < load<f64>(knn_f(D, r))) sw = r;
      else break;
    }
    store<f64>(knn_f(D, cur), load<f64>(knn_f(D, sw)));
    store<i32>(knn_i(I, cur), load<i32>(knn_i(I, sw)));
    cur = sw;
  }
  store<f64>(knn_f(D, cur), v);
  store<i32>(knn_i(I, cur), j);
}

function knn_swap(D: usize, I: usize, a: i32, b: i32): void {
  const t = load<f64>(knn_f(D, a));
  store<f64>(knn_f(D, a), load<f64>(knn_f(D, b)));
  store<f64>(knn_f(D, b), t);
  const u = load<i32>(knn_i(I, a));
  store<i32>(knn_i(I, a), load<i32>(knn_i(I, b)));
  store<i32>(knn_i(I, b), u);
}

function knn_siftDown(D: usize, I: usize, o: i32, start: i32, end: i32): void {
  let root = start;
  for (;;) {
    const child = root * 2 + 1;
    let maxind = root;
    if (child < end && load<f64>(knn_f(D, o + maxind)) < load<f64>(knn_f(D, o + child))) maxind = child;
    if (child + 1 < end && load<f64>(knn_f(D, o + maxind)) < load<f64>(knn_f(D, o + child + 1))) maxind = child + 1;
    if (maxind == root) break;
    knn_swap(D, I, o + root, o + maxind);
    root = maxind;
  }
}

function knnSort(D: usize, I: usize, n: i32, sort: i32, S: usize): void {
  if (n == 0) return;
  let lg = 0;
  while ((<i64>1 << (lg + 1)) <= <i64>n) lg++;
  let top = 0;
  store<i32>(S, 0);
  store<i32>(S, n, 4);
  store<i32>(S, 2 * lg, 8);
  top = 1;
  while (top > 0) {
    top--;
    let o = load<i32>(knn_i(S, 3 * top));
    let m = load<i32>(knn_i(S, 3 * top + 1));
    let maxd = load<i32>(knn_i(S, 3 * top + 2));
    if (sort == 1) {
      if (m <= 1) continue;
      if (m == 2) {
        if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + 1))) knn_swap(D, I, o, o + 1);
        continue;
      }
      if (m == 3) {
        if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + 1))) knn_swap(D, I, o, o + 1);
        if (load<f64>(knn_f(D, o + 1)) > load<f64>(knn_f(D, o + 2))) {
          knn_swap(D, I, o + 1, o + 2);
          if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + 1))) knn_swap(D, I, o, o + 1);
        }
        continue;
      }
      const mid = m / 2;
      if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + m - 1))) knn_swap(D, I, o, o + m - 1);
      if (load<f64>(knn_f(D, o + m - 1)) > load<f64>(knn_f(D, o + mid))) {
        knn_swap(D, I, o + m - 1, o + mid);
        if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + m - 1))) knn_swap(D, I, o, o + m - 1);
      }
      const pv = load<f64>(knn_f(D, o + m - 1));
      let st = 0;
      for (let i = 0; i < m - 1; i++) {
        if (load<f64>(knn_f(D, o + i)) < pv) {
          knn_swap(D, I, o + i, o + st);
          st++;
        }
      }
      knn_swap(D, I, o + st, o + m - 1);
      if (st > 1) {
        store<i32>(knn_i(S, 3 * top), o);
        store<i32>(knn_i(S, 3 * top + 1), st);
        store<i32>(knn_i(S, 3 * top + 2), 0);
        top++;
      }
      if (st + 2 < m) {
        store<i32>(knn_i(S, 3 * top), o + st + 1);
        store<i32>(knn_i(S, 3 * top + 1), m - st - 1);
        store<i32>(knn_i(S, 3 * top + 2), 0);
        top++;
      }
      continue;
    }
    let heaped = false;
    while (m > 15) {
      if (maxd <= 0) {
        let start = (m - 2) / 2;
        for (;;) {
          knn_siftDown(D, I, o, start, m);
          if (start == 0) break;
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
      const mid = m / 2;
      if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + m - 1))) knn_swap(D, I, o, o + m - 1);
      if (load<f64>(knn_f(D, o + m - 1)) > load<f64>(knn_f(D, o + mid))) {
        knn_swap(D, I, o + m - 1, o + mid);
        if (load<f64>(knn_f(D, o)) > load<f64>(knn_f(D, o + m - 1))) knn_swap(D, I, o, o + m - 1);
      }
      const pv = load<f64>(knn_f(D, o + m - 1));
      let i = 1;
      let j = m - 2;
      for (;;) {
        while (i <= j && load<f64>(knn_f(D, o + i)) < pv) i++;
        while (i <= j && load<f64>(knn_f(D, o + j)) > pv) j--;
        if (i >= j) break;
        knn_swap(D, I, o + i, o + j);
        i++;
        j--;
      }
      knn_swap(D, I, o + i, o + m - 1);
      store<i32>(knn_i(S, 3 * top), o);
      store<i32>(knn_i(S, 3 * top + 1), i);
      store<i32>(knn_i(S, 3 * top + 2), maxd);
      top++;
      o += i + 1;
      m -= i + 1;
    }
    if (heaped) continue;
    for (let i = 1; i < m; i++) {
      const tv = load<f64>(knn_f(D, o + i));
      const ti = load<i32>(knn_i(I, o + i));
      let j = i;
      while (j > 0 && load<f64>(knn_f(D, o + j - 1)) > tv) {
        store<f64>(knn_f(D, o + j), load<f64>(knn_f(D, o + j - 1)));
        store<i32>(knn_i(I, o + j), load<i32>(knn_i(I, o + j - 1)));
        j--;
      }
      store<f64>(knn_f(D, o + j), tv);
      store<i32>(knn_i(I, o + j), ti);
    }
  }
}

function knnSearch(X: usize, N: usize, nS: i32, W: i32, x: usize, metric: i32, k: i32, sort: i32, merge: i32, empty: f64, D: usize, I: usize, D2: usize, I2: usize, S: usize): void {
  for (let i = 0; i < k; i++) {
    store<f64>(knn_f(D, i), empty);
    store<i32>(knn_i(I, i), 0);
  }
  let xn: f64 = 0.0;
  if (metric == 0) {
    for (let i = 0; i < W; i++) {
      const v = load<f64>(knn_f(x, i));
      xn = knnFma(v, v, xn);
    }
  }
  for (let s = 0; s < nS; s++) {
    const o = s * W;
    let d: f64 = 0.0;
    if (metric == 0) {
      let dot: f64 = 0.0;
      for (let i = 0; i < W; i++) dot = knnFma(load<f64>(knn_f(x, i)), load<f64>(knn_f(X, o + i)), dot);
      d = xn + -2.0 * dot + load<f64>(knn_f(N, s));
      if (!(d > 0.0)) d = 0.0;
    } else if (metric == 1) {
      for (let i = 0; i < W; i++) {
        const t = load<f64>(knn_f(x, i)) - load<f64>(knn_f(X, o + i));
        d += t * t;
      }
    } else {
      for (let i = 0; i < W; i++) d += abs<f64>(load<f64>(knn_f(x, i)) - load<f64>(knn_f(X, o + i)));
    }
    knnHeapPush(D, I, k, d, s);
  }
  if (merge == 1) {
    for (let i = 0; i < k; i++) {
      store<f64>(knn_f(D2, i), load<f64>(knn_f(D, i)));
      store<i32>(knn_i(I2, i), load<i32>(knn_i(I, i)));
      store<f64>(knn_f(D, i), empty);
      store<i32>(knn_i(I, i), 0);
    }
    for (let i = 0; i < k; i++) knnHeapPush(D, I, k, load<f64>(knn_f(D2, i)), load<i32>(knn_i(I2, i)));
  }
  knnSort(D, I, k, sort, S);
  if (metric != 2) {
    for (let i = 0; i < k; i++) {
      const v = load<f64>(knn_f(D, i));
      store<f64>(knn_f(D, i), sqrt<f64>(0.0 > v ? 0.0 : v));
    }
  }
}

function knnWeights(D: usize, k: i32, weights: i32, T: usize): void {
  let inf = false;
  for (let i = 0; i < k; i++) {
    const w: f64 = weights == 0 ? 1.0 : 1.0 / load<f64>(knn_f(D, i));
    store<f64>(knn_f(T, i), w);
    if (w == Infinity || w == -Infinity) inf = true;
  }
  if (inf) {
    for (let i = 0; i < k; i++) {
      const w = load<f64>(knn_f(T, i));
      store<f64>(knn_f(T, i), w == Infinity || w == -Infinity ? 1.0 : 0.0);
    }
  }
}

function knnClassify(D: usize, I: usize, k: i32, L: usize, nC: i32, weights: i32, P: usize, T: usize, U: usize): i32 {
  knnWeights(D, k, weights, T);
  for (let c = 0; c < nC; c++) store<f64>(knn_f(P, c), 0.0);
  for (let i = 0; i < k; i++) {
    const c = load<i32>(knn_i(L, load<i32>(knn_i(I, i))));
    store<f64>(knn_f(P, c), load<f64>(knn_f(P, c)) + load<f64>(knn_f(T, i)));
  }
  let s = 0.0 + skPairwiseSum(P, nC);
  if (s == 0.0) s = 1.0;
  for (let c = 0; c < nC; c++) store<f64>(knn_f(P, c), load<f64>(knn_f(P, c)) / s);
  let cls = 0;
  if (weights == 0) {
    let bv = load<f64>(P);
    for (let c = 1; c < nC; c++) {
      if (load<f64>(knn_f(P, c)) > bv) {
        bv = load<f64>(knn_f(P, c));
        cls = c;
      }
    }
    return cls;
  }
  let best: f64 = 0.0;
  for (let c = 0; c < nC; c++) {
    for (let i = 0; i < k; i++) {
      store<f64>(knn_f(U, i), load<i32>(knn_i(L, load<i32>(knn_i(I, i)))) == c ? load<f64>(knn_f(T, i)) : 0.0);
    }
    const v = 0.0 + skPairwiseSum(U, k);
    if (v > best) {
      best = v;
      cls = c;
    }
  }
  return cls;
}

function knnRegress(D: usize, I: usize, k: i32, Y: usize, nT: i32, weights: i32, R: usize, T: usize, U: usize): void {
  if (weights == 0) {
    for (let j = 0; j < nT; j++) {
      let s: f64;
      if (nT == 1) {
        for (let i = 0; i < k; i++) store<f64>(knn_f(U, i), load<f64>(knn_f(Y, load<i32>(knn_i(I, i)))));
        s = 0.0 + skPairwiseSum(U, k);
      } else {
        s = load<f64>(knn_f(Y, load<i32>(I) * nT + j));
        for (let i = 1; i < k; i++) s += load<f64>(knn_f(Y, load<i32>(knn_i(I, i)) * nT + j));
      }
      store<f64>(knn_f(R, j), s / <f64>k);
    }
    return;
  }
  knnWeights(D, k, weights, T);
  const den = 0.0 + skPairwiseSum(T, k);
  for (let j = 0; j < nT; j++) {
    for (let i = 0; i < k; i++) {
      store<f64>(knn_f(U, i), load<f64>(knn_f(Y, load<i32>(knn_i(I, i)) * nT + j)) * load<f64>(knn_f(T, i)));
    }
    store<f64>(knn_f(R, j), (0.0 + skPairwiseSum(U, k)) / den);
  }
}
