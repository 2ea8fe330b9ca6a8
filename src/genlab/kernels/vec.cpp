// SIMD row primitives. Each body is one generic lambda run on xsimd batches over n − n % lanes
// elements and on plain floats for the tail, so vector and scalar paths cannot drift apart.
// Same bits on every build (simd.hpp): no fused multiply-add, reductions over kSumParts partial
// sums folded in a fixed order, and exp/expm1/tanh of our own from + − × ÷ and bit operations.
#include "genlab/kernels/vec.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "genlab/kernels/simd.hpp"

namespace genlab::kernels {
namespace {

inline float sel(bool c, float a, float b) { return c ? a : b; }
inline float fma_(float a, float b, float c) { return a * b + c; }  // a multiply, then an add
inline float sqrt_(float x) { return std::sqrt(x); }
#if GENLAB_SIMD
inline Batch sel(const Batch::batch_bool_type& c, const Batch& a, const Batch& b) {
  return xsimd::select(c, a, b);
}
// Not xsimd::fma: that fuses on FMA targets only, and wasm has none (simd.hpp).
inline Batch fma_(const Batch& a, const Batch& b, const Batch& c) { return a * b + c; }
inline Batch sqrt_(const Batch& x) { return xsimd::sqrt(x); }
#endif

// max, min, |x| and copysign for the generic bodies: xsimd's own (batches and floats) in the
// SIMD build; without xsimd (GENLAB_USE_XSIMD=OFF) the same definitions for floats.
#if GENLAB_SIMD
template <class T> inline T vmax(const T& a, const T& b) { return xsimd::max(a, b); }
template <class T> inline T vmin(const T& a, const T& b) { return xsimd::min(a, b); }
template <class T> inline T vabs(const T& a) { return xsimd::abs(a); }
template <class T> inline T vcopysign(const T& a, const T& b) { return xsimd::copysign(a, b); }
#else
inline float vmax(float a, float b) { return a < b ? b : a; }
inline float vmin(float a, float b) { return a > b ? b : a; }
inline float vabs(float a) { return std::fabs(a); }
inline float vcopysign(float a, float b) { return std::copysign(a, b); }
#endif

// 2ⁿ from j = n + 1.5·2²³ (n an integer in [−126, 0] held in j's low mantissa bits): shifting the
// bits left by 23 drops everything but n and moves it into the exponent field, then add the bias.
inline float pow2_from_shifter(float j) {
  std::uint32_t u;
  std::memcpy(&u, &j, sizeof u);
  u = (u << 23) + (127u << 23);
  float r;
  std::memcpy(&r, &u, sizeof r);
  return r;
}
#if GENLAB_SIMD
inline Batch pow2_from_shifter(const Batch& j) {
  using IntBatch = xsimd::batch<std::int32_t, Batch::arch_type>;
  const IntBatch u = (xsimd::bitwise_cast<IntBatch>(j) << 23) + IntBatch(127 << 23);
  return xsimd::bitwise_cast<Batch>(u);
}
#endif

// e^x for x ≤ 0 (0 below −87), for floats and batches. Why not xsimd::exp: its float→int
// conversions are emulated lane by lane under wasm's SSE mapping, which made BCE 6× slower there.
// x = n·ln2 + r with n = round(x/ln2) read off the mantissa of x/ln2 + 1.5·2²³ (no conversion),
// |r| ≤ ln2/2; e^r from its Taylor series to r⁶ (truncation ≤ 0.35⁷/7! ≈ 1.3e-7 relative);
// ln2 split in two so n·ln2_hi is exact (ln2_hi has 9 significant bits, |n| ≤ 126).
// reduce_ln2 is that reduction, shared with expm1_nonpos.
template <class T>
inline void reduce_ln2(T x, T& j, T& r) {
  const T xc = vmax(x, T(-87.0f));
  j = xc * T(1.44269504f) + T(12582912.0f);  // n in the low mantissa bits (pow2_from_shifter)
  const T n = j - T(12582912.0f);
  r = xc - n * T(0.693359375f);
  r = r - n * T(-2.12194440e-4f);
}

template <class T>
inline T exp_nonpos(T x) {
  T j, r;
  reduce_ln2(x, j, r);
  T p = T(1.0f / 720.0f);
  p = p * r + T(1.0f / 120.0f);
  p = p * r + T(1.0f / 24.0f);
  p = p * r + T(1.0f / 6.0f);
  p = p * r + T(0.5f);
  p = p * r + T(1.0f);
  p = p * r + T(1.0f);
  return sel(x < T(-87.0f), T(0.0f), p * pow2_from_shifter(j));
}

// e^x − 1 for x ≤ 0 (−1 below −87), for floats and batches, with the reduction of exp_nonpos:
// e^x − 1 = 2ⁿ·(e^r − 1) + (2ⁿ − 1), e^r − 1 = r + r²(1/2 + r/6 + … + r⁶/8!) (truncation ≤
// 0.35⁹/9! ≈ 2e-10). For |x| ≤ ln2/2, n = 0 and r = x exactly: no cancellation near 0. 2ⁿ − 1 is
// exact for n ≥ −24 and rounds to −1 below.
template <class T>
inline T expm1_nonpos(T x) {
  T j, r;
  reduce_ln2(x, j, r);
  T q = T(1.0f / 40320.0f);
  q = q * r + T(1.0f / 5040.0f);
  q = q * r + T(1.0f / 720.0f);
  q = q * r + T(1.0f / 120.0f);
  q = q * r + T(1.0f / 24.0f);
  q = q * r + T(1.0f / 6.0f);
  q = q * r + T(0.5f);
  const T em1 = (q * r) * r + r;
  const T p2 = pow2_from_shifter(j);
  return sel(x < T(-87.0f), T(-1.0f), p2 * em1 + (p2 - T(1.0f)));
}

// tanh x = sign(x)·(−m)/(2 + m), m = e^−2|x| − 1 ∈ [−1, 0]: no cancellation near 0, exactly ±1
// for |x| beyond ~9, ±0 kept, NaN passed through (on every path alike).
template <class T>
inline T tanh_portable(T x) {
  const T m = expm1_nonpos(T(-2.0f) * vabs(x));
  const T t = vcopysign(-m / (T(2.0f) + m), x);
  return sel(x != x, x, t);
}

// log(1 + e) for e ∈ [0, 1] as 2·atanh(s), s = e/(2 + e) ≤ 1/3: the odd series 2s(1 + s²/3 + …)
// has no cancellation for small e and its truncation after s¹²/13 is ≤ (1/9)⁷/15 ≈ 1.5e-8.
template <class T>
inline T log1p_unit(T e) {
  const T s = e / (T(2.0f) + e);
  const T s2 = s * s;
  T q = T(1.0f / 13.0f);
  q = q * s2 + T(1.0f / 11.0f);
  q = q * s2 + T(1.0f / 9.0f);
  q = q * s2 + T(1.0f / 7.0f);
  q = q * s2 + T(1.0f / 5.0f);
  q = q * s2 + T(1.0f / 3.0f);
  q = q * s2 + T(1.0f);
  return T(2.0f) * s * q;
}

// σ(z) from e = e^−|z| ∈ (0, 1] only: 1/(1+e) for z ≥ 0 and e/(1+e) below, so nothing overflows.
template <class T>
inline T sigmoid_from_e(T z, T e) {
  const T inv = T(1.0f) / (T(1.0f) + e);
  return sel(z >= T(0.0f), inv, e * inv);
}

template <class F>
inline void map1(const float* x, float* y, std::size_t n, F f) {
  std::size_t i = 0;
#if GENLAB_SIMD
  for (; i + kLanes <= n; i += kLanes) f(Batch::load_unaligned(x + i)).store_unaligned(y + i);
#endif
  for (; i < n; ++i) y[i] = f(x[i]);
}

template <class F>
inline void map2(const float* a, const float* b, float* y, std::size_t n, F f) {
  std::size_t i = 0;
#if GENLAB_SIMD
  for (; i + kLanes <= n; i += kLanes)
    f(Batch::load_unaligned(a + i), Batch::load_unaligned(b + i)).store_unaligned(y + i);
#endif
  for (; i < n; ++i) y[i] = f(a[i], b[i]);
}

// Reduction s = f(…f(f(0, a₀, b₀), a₁, b₁)…) regrouped as kSumParts partial sums (element i into
// partial i mod kSumParts, in order) folded by sum_parts, then the n mod kSumParts tail in order:
// the same association for 4-, 8- or 1-lane batches, hence the same bits on every build.
template <class F>
inline float reduce2(const float* a, const float* b, std::size_t n, F f) {
  constexpr std::size_t P = kSumParts;
  std::size_t i = 0;
  float part[P] = {};
#if GENLAB_SIMD
  constexpr std::size_t V = P / kLanes;
  Batch acc[V];
  for (std::size_t v = 0; v < V; ++v) acc[v] = Batch(0.0f);
  for (; i + P <= n; i += P)  // V independent chains also hide the add latency
    for (std::size_t v = 0; v < V; ++v)
      acc[v] = f(acc[v], Batch::load_unaligned(a + i + v * kLanes), Batch::load_unaligned(b + i + v * kLanes));
  for (std::size_t v = 0; v < V; ++v) acc[v].store_unaligned(part + v * kLanes);
#else
  for (; i + P <= n; i += P)
    for (std::size_t j = 0; j < P; ++j) part[j] = f(part[j], a[i + j], b[i + j]);
#endif
  float s = sum_parts(part);
  for (; i < n; ++i) s = f(s, a[i], b[i]);
  return s;
}

}  // namespace

float exp1(float x) {
  if (x <= 0.0f) return exp_nonpos(x);
  return 1.0f / exp_nonpos(-x);  // also NaN for NaN: the comparison above is false
}

float log1p_exp_neg(float a) { return log1p_unit(exp_nonpos(-a)); }

const char* simd_name() {
#if GENLAB_SIMD
#if defined(__EMSCRIPTEN__)
  return kLanes == 4 ? "wasm-simd128/4" : "wasm-simd128";
#else
  static const std::string vec = std::string(Batch::arch_type::name()) + "/" + std::to_string(kLanes);
  static const std::string name = kGemmLanes == kLanes ? vec
      : std::string(GemmBatch::arch_type::name()) + "/" + std::to_string(kGemmLanes) + " (gemm) + " + vec;
  return name.c_str();
#endif
#else
  return "scalar/1";
#endif
}

void fill(float* x, std::size_t n, float v) {
  map1(x, x, n, [v](auto a) { return decltype(a)(v); });
}

float dot(const float* a, const float* b, std::size_t n) {
  return reduce2(a, b, n, [](auto s, auto x, auto y) { return fma_(x, y, s); });
}

float sum(const float* x, std::size_t n) {
  return reduce2(x, x, n, [](auto s, auto a, auto) { return s + a; });
}

float sum_sq(const float* x, std::size_t n) { return dot(x, x, n); }

void axpy(float a, const float* x, float* y, std::size_t n) {
  map2(x, y, y, n, [a](auto xi, auto yi) { return fma_(decltype(xi)(a), xi, yi); });
}

void scale(float a, float* x, std::size_t n) {
  map1(x, x, n, [a](auto xi) { return xi * decltype(xi)(a); });
}

void add_bias_rows(float* y, const float* b, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) map2(y + r * cols, b, y + r * cols, cols, [](auto u, auto v) { return u + v; });
}

void col_sum_acc(const float* dy, std::size_t rows, std::size_t cols, float* db) {
  for (std::size_t r = 0; r < rows; ++r) map2(dy + r * cols, db, db, cols, [](auto u, auto v) { return u + v; });
}

void relu(const float* x, float* y, std::size_t n) {
  map1(x, y, n, [](auto v) { using T = decltype(v); return sel(v > T(0.0f), v, T(0.0f)); });
}

void relu_backward(const float* x, const float* dy, float* dx, std::size_t n) {
  map2(x, dy, dx, n, [](auto v, auto d) { using T = decltype(v); return sel(v > T(0.0f), d, T(0.0f)); });
}

void leaky_relu(const float* x, float* y, std::size_t n, float alpha) {
  map1(x, y, n, [alpha](auto v) { using T = decltype(v); return sel(v > T(0.0f), v, v * T(alpha)); });
}

void leaky_relu_backward(const float* x, const float* dy, float* dx, std::size_t n, float alpha) {
  map2(x, dy, dx, n, [alpha](auto v, auto d) { using T = decltype(v); return sel(v > T(0.0f), d, d * T(alpha)); });
}

void tanh_fwd(const float* x, float* y, std::size_t n) {
  map1(x, y, n, [](auto v) { return tanh_portable(v); });
}

void tanh_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map2(y, dy, dx, n, [](auto v, auto d) { using T = decltype(v); return d * (T(1.0f) - v * v); });
}

void sigmoid(const float* x, float* y, std::size_t n) {
  map1(x, y, n, [](auto v) { return sigmoid_from_e(v, exp_nonpos(-vabs(v))); });
}

void sigmoid_backward(const float* y, const float* dy, float* dx, std::size_t n) {
  map2(y, dy, dx, n, [](auto v, auto d) { using T = decltype(v); return d * v * (T(1.0f) - v); });
}

void elu(const float* x, float* y, std::size_t n, float alpha) {
  map1(x, y, n, [alpha](auto v) {
    using T = decltype(v);
    // expm1 keeps precision near 0; min() keeps it on x ≤ 0 on the unused lanes; NaN passes.
    return sel(v > T(0.0f) || v != v, v, T(alpha) * expm1_nonpos(vmin(v, T(0.0f))));
  });
}

void elu_backward(const float* x, const float* y, const float* dy, float* dx, std::size_t n, float alpha) {
  std::size_t i = 0;
#if GENLAB_SIMD
  for (; i + kLanes <= n; i += kLanes) {
    const Batch xv = Batch::load_unaligned(x + i), yv = Batch::load_unaligned(y + i),
                dv = Batch::load_unaligned(dy + i);
    sel(xv > Batch(0.0f), dv, dv * (yv + Batch(alpha))).store_unaligned(dx + i);
  }
#endif
  for (; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : dy[i] * (y[i] + alpha);
}

// Optimizers: one pass, all state updated in registers. Shared body for vector and tail.
void sgd_update(float* w, const float* g, float* v, std::size_t n, const SgdParams& p) {
  auto body = [&p](auto wi, auto gi, auto& vi) {
    using T = decltype(wi);
    const T gg = fma_(T(p.weight_decay), wi, gi);
    T d = gg;
    if (p.momentum != 0.0f) {
      vi = fma_(T(p.momentum), vi, gg);
      d = p.nesterov ? fma_(T(p.momentum), vi, gg) : vi;
    }
    return wi - T(p.lr) * d;
  };
  std::size_t i = 0;
#if GENLAB_SIMD
  for (; i + kLanes <= n; i += kLanes) {
    Batch vi = Batch::load_unaligned(v + i);
    body(Batch::load_unaligned(w + i), Batch::load_unaligned(g + i), vi).store_unaligned(w + i);
    vi.store_unaligned(v + i);
  }
#endif
  for (; i < n; ++i) w[i] = body(w[i], g[i], v[i]);
}

void rmsprop_update(float* w, const float* g, float* sq, float* mom, std::size_t n, const RmspropParams& p) {
  auto body = [&p](auto wi, auto gi, auto& si, auto& mi) {
    using T = decltype(wi);
    const T gg = fma_(T(p.weight_decay), wi, gi);
    si = fma_(T(p.rho), si, T(1.0f - p.rho) * gg * gg);
    const T inc = T(p.lr) * gg / sqrt_(si + T(p.eps));  // Keras: ε inside the square root
    if (p.momentum != 0.0f) {
      mi = fma_(T(p.momentum), mi, inc);
      return wi - mi;
    }
    return wi - inc;
  };
  std::size_t i = 0;
#if GENLAB_SIMD
  for (; i + kLanes <= n; i += kLanes) {
    Batch si = Batch::load_unaligned(sq + i), mi = Batch::load_unaligned(mom + i);
    body(Batch::load_unaligned(w + i), Batch::load_unaligned(g + i), si, mi).store_unaligned(w + i);
    si.store_unaligned(sq + i);
    mi.store_unaligned(mom + i);
  }
#endif
  for (; i < n; ++i) w[i] = body(w[i], g[i], sq[i], mom[i]);
}

void adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const AdamParams& p) {
  const float step = p.lr / p.bc1;                 // PyTorch's arrangement of the bias corrections
  const float inv_sqrt_bc2 = 1.0f / std::sqrt(p.bc2);
  const float wd_l2 = p.decoupled ? 0.0f : p.weight_decay;
  const float keep = p.decoupled ? 1.0f - p.lr * p.weight_decay : 1.0f;  // AdamW shrinks w first
  auto body = [&](auto wi, auto gi, auto& mi, auto& vi) {
    using T = decltype(wi);
    const T gg = fma_(T(wd_l2), wi, gi);
    mi = fma_(T(p.beta1), mi, T(1.0f - p.beta1) * gg);
    vi = fma_(T(p.beta2), vi, T(1.0f - p.beta2) * gg * gg);
    const T denom = fma_(sqrt_(vi), T(inv_sqrt_bc2), T(p.eps));
    return wi * T(keep) - T(step) * mi / denom;
  };
  std::size_t i = 0;
#if GENLAB_SIMD
  for (; i + kLanes <= n; i += kLanes) {
    Batch mi = Batch::load_unaligned(m + i), vi = Batch::load_unaligned(v + i);
    body(Batch::load_unaligned(w + i), Batch::load_unaligned(g + i), mi, vi).store_unaligned(w + i);
    mi.store_unaligned(m + i);
    vi.store_unaligned(v + i);
  }
#endif
  for (; i < n; ++i) w[i] = body(w[i], g[i], m[i], v[i]);
}

double bce_logits(const float* z, const float* t, float* dz, std::size_t n, float scale) {
  // ℓ = max(z, 0) − z·t + log1p(e^−|z|) never takes the log of anything below 1 nor exp of
  // anything positive; σ(z) comes from the same e = e^−|z|: 1/(1+e) for z ≥ 0, e/(1+e) below.
  auto body = [scale](auto zi, auto ti, auto& di) {
    using T = decltype(zi);
    const T e = exp_nonpos(-vabs(zi));
    di = T(scale) * (sigmoid_from_e(zi, e) - ti);
    return vmax(zi, T(0.0f)) - zi * ti + log1p_unit(e);
  };
  // Float partial sums as in reduce2 (the same association on every build), flushed to double
  // every 64 blocks of kSumParts: a float sum of 10⁵ terms drifts.
  constexpr std::size_t P = kSumParts;
  std::size_t i = 0, blocks = 0;
  double s = 0.0;
  float part[P] = {};
#if GENLAB_SIMD
  constexpr std::size_t V = P / kLanes;
  Batch acc[V];
  for (std::size_t v = 0; v < V; ++v) acc[v] = Batch(0.0f);
  for (; i + P <= n; i += P) {
    for (std::size_t v = 0; v < V; ++v) {
      Batch d;
      acc[v] += body(Batch::load_unaligned(z + i + v * kLanes), Batch::load_unaligned(t + i + v * kLanes), d);
      d.store_unaligned(dz + i + v * kLanes);
    }
    if (++blocks % 64 == 0 || i + 2 * P > n) {
      for (std::size_t v = 0; v < V; ++v) {
        acc[v].store_unaligned(part + v * kLanes);
        acc[v] = Batch(0.0f);
      }
      s += static_cast<double>(sum_parts(part));
    }
  }
#else
  for (; i + P <= n; i += P) {
    for (std::size_t j = 0; j < P; ++j) part[j] += body(z[i + j], t[i + j], dz[i + j]);
    if (++blocks % 64 == 0 || i + 2 * P > n) {
      s += static_cast<double>(sum_parts(part));
      for (float& p : part) p = 0.0f;
    }
  }
#endif
  for (; i < n; ++i) s += static_cast<double>(body(z[i], t[i], dz[i]));
  return s;
}

void bytes_to_unit(const std::uint8_t* v, float* y, std::size_t n) {
  std::size_t i = 0;
#if GENLAB_SIMD
  // 16 bytes at a time, in 128-bit batches whatever Batch's width: zipping with zero bytes twice
  // widens u8 → u16 → u32 exactly, int → float is exact below 2²⁴ and the division is IEEE's,
  // so each value is v/255 correctly rounded, the scalar tail's bits. (A call per pixel to a
  // table lookup cost W3 ~10 % of its step in wasm.)
  using U8 = xsimd::make_sized_batch_t<std::uint8_t, 16>;
  using U16 = xsimd::make_sized_batch_t<std::uint16_t, 8>;
  using I32 = xsimd::make_sized_batch_t<std::int32_t, 4>;
  using F4 = xsimd::make_sized_batch_t<float, 4>;
  if constexpr (!std::is_void<U8>::value && !std::is_void<F4>::value) {
    const U8 zero8(std::uint8_t{0});
    const U16 zero16(std::uint16_t{0});
    const F4 k255(255.0f);
    auto store4 = [&](const U16& h, bool high, float* out) {
      const I32 q = xsimd::bitwise_cast<I32>(high ? xsimd::zip_hi(h, zero16) : xsimd::zip_lo(h, zero16));
      (xsimd::to_float(q) / k255).store_unaligned(out);
    };
    for (; i + 16 <= n; i += 16) {
      const U8 b = U8::load_unaligned(v + i);
      const U16 lo = xsimd::bitwise_cast<U16>(xsimd::zip_lo(b, zero8));
      const U16 hi = xsimd::bitwise_cast<U16>(xsimd::zip_hi(b, zero8));
      store4(lo, false, y + i);
      store4(lo, true, y + i + 4);
      store4(hi, false, y + i + 8);
      store4(hi, true, y + i + 12);
    }
  }
#endif
  for (; i < n; ++i) y[i] = static_cast<float>(v[i]) / 255.0f;
}

}  // namespace genlab::kernels
