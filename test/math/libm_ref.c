/* Reference oracle for test/math: evaluates this machine's glibc libm on binary inputs.
 *
 * usage: libm_ref FN            read native-endian inputs on stdin, write outputs on stdout
 *        libm_ref FN START COUNT  (float functions only) evaluate FN on the float32 bit
 *                               patterns START .. START+COUNT-1 (COUNT up to 2^32)
 * FN: exp, log, log1p (float64 -> float64), expf, logf (float32 -> float32),
 *     fma (three float64 per call -> float64).
 * Run with GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA to get the non-FMA ifunc variants.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 65536

static double in64[3 * BLOCK], out64[BLOCK];
static float in32[BLOCK], out32[BLOCK];

/* volatile function pointers keep the compiler from inlining or folding anything */
static double (*volatile f64)(double);
static float (*volatile f32)(float);
static double (*volatile f3)(double, double, double) = fma;

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: libm_ref FN [START COUNT]\n"); return 2; }
  const char *fn = argv[1];
  int isfma = 0;
  if (!strcmp(fn, "exp")) f64 = exp;
  else if (!strcmp(fn, "log")) f64 = log;
  else if (!strcmp(fn, "log1p")) f64 = log1p;
  else if (!strcmp(fn, "expf")) f32 = expf;
  else if (!strcmp(fn, "logf")) f32 = logf;
  else if (!strcmp(fn, "fma")) isfma = 1;
  else { fprintf(stderr, "unknown function %s\n", fn); return 2; }

  if (argc == 4) {
    if (!f32) { fprintf(stderr, "range mode is for float functions only\n"); return 2; }
    uint64_t start = strtoull(argv[2], 0, 0), count = strtoull(argv[3], 0, 0);
    uint64_t done = 0;
    while (done < count) {
      size_t n = count - done < BLOCK ? (size_t)(count - done) : BLOCK;
      for (size_t i = 0; i < n; i++) {
        uint32_t b = (uint32_t)(start + done + i);
        float x; memcpy(&x, &b, 4);
        out32[i] = f32(x);
      }
      if (fwrite(out32, 4, n, stdout) != n) return 1;
      done += n;
    }
    return 0;
  }

  for (;;) {
    size_t n;
    if (f32) {
      n = fread(in32, 4, BLOCK, stdin);
      for (size_t i = 0; i < n; i++) out32[i] = f32(in32[i]);
      if (n && fwrite(out32, 4, n, stdout) != n) return 1;
    } else if (isfma) {
      n = fread(in64, 24, BLOCK, stdin);
      for (size_t i = 0; i < n; i++) out64[i] = f3(in64[3 * i], in64[3 * i + 1], in64[3 * i + 2]);
      if (n && fwrite(out64, 8, n, stdout) != n) return 1;
    } else {
      n = fread(in64, 8, BLOCK, stdin);
      for (size_t i = 0; i < n; i++) out64[i] = f64(in64[i]);
      if (n && fwrite(out64, 8, n, stdout) != n) return 1;
    }
    if (n < BLOCK) break;
  }
  return 0;
}
