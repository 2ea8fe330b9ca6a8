#include "genlab/io/safetensors.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace genlab::io {
namespace {

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\'; });
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n' || c == '\t' || c == '\r') {
      out += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r";
    } else if (c < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

bool genlab_key(const std::string& k) { return k.find("genlab") != std::string::npos; }

// ---- reading: a JSON subset parser over the header (objects, strings, arrays of integers) ----

class Json {
 public:
  Json(const std::uint8_t* p, std::size_t n, std::size_t base) : p_(p), n_(n), base_(base) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw SafetensorsError("safetensors header, byte " + std::to_string(base_ + i_) + ": " + what);
  }
  void ws() {
    while (i_ < n_ && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
  }
  bool peek(char c) {
    ws();
    return i_ < n_ && p_[i_] == static_cast<std::uint8_t>(c);
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  std::size_t pos() const { return base_ + i_; }
  bool at_end() {
    ws();
    return i_ == n_;
  }

  // A string; `raw_begin` gets the file offset of its first content byte.
  std::string string(std::size_t* raw_begin = nullptr) {
    expect('"');
    if (raw_begin) *raw_begin = base_ + i_;
    std::string s;
    while (true) {
      if (i_ >= n_) fail("a string runs past the header");
      const std::uint8_t c = p_[i_++];
      if (c == '"') return s;
      if (c < 0x20) fail("a control byte inside a string");
      if (c == '\\') {
        if (i_ >= n_) fail("a string runs past the header");
        const std::uint8_t e = p_[i_++];
        switch (e) {
          case '"': s += '"'; break;
          case '\\': s += '\\'; break;
          case '/': s += '/'; break;
          case 'b': s += '\b'; break;
          case 'f': s += '\f'; break;
          case 'n': s += '\n'; break;
          case 'r': s += '\r'; break;
          case 't': s += '\t'; break;
          case 'u': utf8(s, code_point()); break;
          default: fail("an unknown escape in a string");
        }
      } else if (c < 0x80) {
        s += static_cast<char>(c);
      } else {
        // A UTF-8 sequence, checked: its length from the lead byte, continuation bytes 10xxxxxx.
        const int more = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
        if (more < 0 || i_ + more > n_) fail("invalid UTF-8 in a string");
        s += static_cast<char>(c);
        for (int k = 0; k < more; ++k) {
          if ((p_[i_] & 0xc0) != 0x80) fail("invalid UTF-8 in a string");
          s += static_cast<char>(p_[i_++]);
        }
      }
    }
  }

  // A non-negative integer without sign, fraction or leading zeros, ≤ 2⁵³.
  std::uint64_t integer() {
    ws();
    const std::size_t start = i_;
    std::uint64_t v = 0;
    while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') {
      v = v * 10 + (p_[i_] - '0');
      if (v > (1ull << 53)) fail("an integer too large");
      ++i_;
    }
    if (i_ == start) fail("expected a non-negative integer");
    if (i_ - start > 1 && p_[start] == '0') fail("an integer with a leading zero");
    return v;
  }

  std::vector<std::uint64_t> integers(std::size_t max) {
    expect('[');
    std::vector<std::uint64_t> v;
    if (peek(']')) {
      ++i_;
      return v;
    }
    while (true) {
      if (v.size() == max) fail("a list longer than " + std::to_string(max));
      v.push_back(integer());
      if (peek(',')) {
        ++i_;
        continue;
      }
      expect(']');
      return v;
    }
  }

 private:
  unsigned hex4() {
    if (i_ + 4 > n_) fail("a short \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const std::uint8_t c = p_[i_++];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) fail("a bad \\u escape");
      v = v * 16 + static_cast<unsigned>(d);
    }
    return v;
  }
  unsigned code_point() {
    const unsigned hi = hex4();
    if (hi >= 0xdc00 && hi < 0xe000) fail("a lone low surrogate");
    if (hi < 0xd800 || hi >= 0xdc00) return hi;
    if (i_ + 2 > n_ || p_[i_] != '\\' || p_[i_ + 1] != 'u') fail("a lone high surrogate");
    i_ += 2;
    const unsigned lo = hex4();
    if (lo < 0xdc00 || lo >= 0xe000) fail("a lone high surrogate");
    return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
  }
  static void utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xc0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xe0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 63));
      s += static_cast<char>(0x80 | (cp & 63));
    } else {
      s += static_cast<char>(0xf0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 63));
      s += static_cast<char>(0x80 | ((cp >> 6) & 63));
      s += static_cast<char>(0x80 | (cp & 63));
    }
  }

  const std::uint8_t* p_;
  std::size_t n_, base_, i_ = 0;
};

std::uint64_t read_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int k = 7; k >= 0; --k) v = (v << 8) | p[k];
  return v;
}

Dtype parse_dtype(const std::string& s, Json& j) {
  if (s == "F32") return Dtype::F32;
  if (s == "F16") return Dtype::F16;
  if (s == "BF16") return Dtype::BF16;
  if (s == "I64") return Dtype::I64;
  if (s == "I8") return Dtype::I8;
  j.fail("dtype '" + s + "' is not one GenLab reads (F32, F16, BF16, I64, I8)");
}

struct Pending {
  SafeTensorIn t;
  std::uint64_t begin = 0, end = 0;
};

}  // namespace

const char* dtype_name(Dtype d) {
  switch (d) {
    case Dtype::F32: return "F32";
    case Dtype::F16: return "F16";
    case Dtype::BF16: return "BF16";
    case Dtype::I64: return "I64";
    case Dtype::I8: return "I8";
  }
  return "?";
}

std::size_t dtype_bytes(Dtype d) { return d == Dtype::F32 ? 4 : d == Dtype::I64 ? 8 : d == Dtype::I8 ? 1 : 2; }

std::uint32_t crc32(const std::uint8_t* bytes, std::size_t n, std::uint32_t crc) {
  static const auto table = [] {
    std::vector<std::uint32_t> t(256);
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::uint16_t float_to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const std::uint32_t exp = (x >> 23) & 0xffu;
  std::uint32_t man = x & 0x7fffffu;
  if (exp == 0xff) return static_cast<std::uint16_t>(sign | 0x7c00u | (man ? 0x200u : 0));  // Inf, NaN
  const int e = static_cast<int>(exp) - 127 + 15;
  if (e >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);  // overflow → Inf
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its hidden bit, rounding to nearest even.
    if (e < -10) return static_cast<std::uint16_t>(sign);
    man |= 0x800000u;
    const int shift = 14 - e;
    const std::uint32_t half = man >> shift, rest = man & ((1u << shift) - 1), mid = 1u << (shift - 1);
    const std::uint32_t r = half + (rest > mid || (rest == mid && (half & 1)) ? 1 : 0);
    return static_cast<std::uint16_t>(sign | r);
  }
  const std::uint32_t half = (static_cast<std::uint32_t>(e) << 10) | (man >> 13), rest = man & 0x1fffu;
  // Rounding may carry into the exponent (up to Inf): that is the right answer.
  return static_cast<std::uint16_t>(sign | (half + (rest > 0x1000u || (rest == 0x1000u && (half & 1)) ? 1 : 0)));
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
  std::uint32_t x;
  if (exp == 0) {
    if (man == 0) {
      x = sign;
    } else {  // subnormal: normalise
      int e = -1;
      std::uint32_t m = man;
      do {
        ++e;
        m <<= 1;
      } while (!(m & 0x400u));
      x = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((m & 0x3ffu) << 13);
    }
  } else if (exp == 31) {
    x = sign | 0x7f800000u | (man << 13);
  } else {
    x = sign | ((exp + 127 - 15) << 23) | (man << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

const std::string* SafeTensors::meta(const std::string& key) const {
  for (const auto& [k, v] : metadata)
    if (k == key) return &v;
  return nullptr;
}

const SafeTensorIn* SafeTensors::find(const std::string& name) const {
  for (const SafeTensorIn& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<std::uint8_t> write_safetensors(const std::vector<SafeTensorOut>& tensors, const Metadata& metadata,
                                            Dtype dtype) {
  if (dtype != Dtype::F32 && dtype != Dtype::F16) throw std::invalid_argument("write_safetensors: F32 or F16 only");
  if (tensors.size() > kMaxSafetensorsTensors) throw std::invalid_argument("write_safetensors: too many tensors");
  bool sealed = false;
  std::string h = "{";
  if (!metadata.empty()) {
    h += "\"__metadata__\":{";
    for (std::size_t i = 0; i < metadata.size(); ++i) {
      if (metadata[i].first.empty() || metadata[i].first == kCrcKey)
        throw std::invalid_argument("write_safetensors: bad metadata key '" + metadata[i].first + "'");
      h += (i ? "," : "") + quoted(metadata[i].first) + ":" + quoted(metadata[i].second);
      sealed = sealed || genlab_key(metadata[i].first);
    }
    if (sealed) h += std::string(",\"") + kCrcKey + "\":\"00000000\"";
    h += "}";
  }
  std::uint64_t offset = 0, values = 0;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const SafeTensorOut& t = tensors[i];
    if (!valid_name(t.name) || t.name == "__metadata__")
      throw std::invalid_argument("write_safetensors: bad tensor name '" + t.name + "'");
    if (t.shape.size() > kMaxSafetensorsDims) throw std::invalid_argument("write_safetensors: '" + t.name + "' has too many dimensions");
    std::uint64_t count = 1;
    std::string shape = "[";
    for (std::size_t k = 0; k < t.shape.size(); ++k) {
      count *= t.shape[k];
      shape += (k ? "," : "") + std::to_string(t.shape[k]);
    }
    values += count;
    if (values > kMaxSafetensorsValues) throw std::invalid_argument("write_safetensors: too many values");
    const Dtype td = t.ints ? Dtype::I8 : t.f32 ? Dtype::F32 : dtype;
    const std::size_t esize = dtype_bytes(td);
    h += (i || !metadata.empty() ? "," : "") + quoted(t.name) + ":{\"dtype\":\"" + dtype_name(td) +
         "\",\"shape\":" + shape + "],\"data_offsets\":[" + std::to_string(offset) + "," +
         std::to_string(offset + count * esize) + "]}";
    offset += count * esize;
  }
  h += "}";
  h.append((8 - h.size() % 8) % 8, ' ');  // the data starts 8-byte aligned, as the format advises
  if (h.size() > kMaxSafetensorsHeader) throw std::invalid_argument("write_safetensors: header too large");
  std::vector<std::uint8_t> out(8 + h.size() + static_cast<std::size_t>(offset));  // ≤ 256 MB: values are bounded
  for (int k = 0; k < 8; ++k) out[k] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(h.size()) >> (8 * k));
  std::memcpy(out.data() + 8, h.data(), h.size());
  std::uint8_t* d = out.data() + 8 + h.size();
  for (const SafeTensorOut& t : tensors) {
    std::size_t count = 1;
    for (std::size_t s : t.shape) count *= s;
    if (t.ints) {  // I8: one byte each, two's complement
      std::memcpy(d, t.ints, count);
      d += count;
      continue;
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (dtype == Dtype::F32 || t.f32) {
        std::uint32_t x;
        std::memcpy(&x, &t.values[i], 4);
        for (int k = 0; k < 4; ++k) *d++ = static_cast<std::uint8_t>(x >> (8 * k));
      } else {
        const std::uint16_t x = float_to_half(t.values[i]);
        *d++ = static_cast<std::uint8_t>(x);
        *d++ = static_cast<std::uint8_t>(x >> 8);
      }
    }
  }
  if (sealed) seal_safetensors(out);
  return out;
}

void seal_safetensors(std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < 8) return;
  const std::uint64_t hlen = std::min<std::uint64_t>(read_u64(bytes.data()), bytes.size() - 8);
  const std::string key = std::string("\"") + kCrcKey + "\":\"";
  const auto end = bytes.begin() + 8 + static_cast<std::ptrdiff_t>(hlen);
  const auto it = std::search(bytes.begin() + 8, end, key.begin(), key.end());
  if (it == end || static_cast<std::size_t>(end - it) < key.size() + 8) return;
  const std::size_t at = static_cast<std::size_t>(it - bytes.begin()) + key.size();
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(at + 8), '0');
  const std::uint32_t crc = crc32(bytes.data(), bytes.size());
  static const char* hex = "0123456789abcdef";
  for (int k = 0; k < 8; ++k) bytes[at + k] = static_cast<std::uint8_t>(hex[(crc >> (28 - 4 * k)) & 15]);
}

bool looks_like_safetensors(const std::uint8_t* bytes, std::size_t n) {
  if (n < 10) return false;
  const std::uint64_t len = read_u64(bytes);
  return len >= 2 && len <= kMaxSafetensorsHeader && bytes[8] == '{';
}

SafeTensors read_safetensors(const std::uint8_t* bytes, std::size_t n) {
  if (n < 8) throw SafetensorsError("safetensors: the file is " + std::to_string(n) + " bytes, shorter than its header length");
  const std::uint64_t hlen = read_u64(bytes);
  if (hlen < 2 || hlen > kMaxSafetensorsHeader)
    throw SafetensorsError("safetensors: a header of " + std::to_string(hlen) + " bytes (GenLab reads up to " +
                           std::to_string(kMaxSafetensorsHeader) + ")");
  if (hlen > n - 8) throw SafetensorsError("safetensors: the header needs " + std::to_string(hlen) + " bytes, the file has " +
                                           std::to_string(n - 8) + " after the length (truncated?)");
  const std::size_t data_start = 8 + static_cast<std::size_t>(hlen), data_size = n - data_start;
  Json j(bytes + 8, static_cast<std::size_t>(hlen), 8);
  SafeTensors out;
  std::vector<Pending> pending;
  std::size_t crc_at = 0;
  bool have_meta = false;
  std::uint64_t total_values = 0;
  j.expect('{');
  bool first = true;
  while (!j.peek('}')) {
    if (!first) j.expect(',');
    first = false;
    const std::string key = j.string();
    j.expect(':');
    if (key == "__metadata__") {
      if (have_meta) j.fail("a second __metadata__");
      have_meta = true;
      j.expect('{');
      bool mfirst = true;
      while (!j.peek('}')) {
        if (!mfirst) j.expect(',');
        mfirst = false;
        const std::string k = j.string();
        if (k.empty()) j.fail("an empty metadata key");
        j.expect(':');
        std::size_t at = 0;
        const std::string v = j.string(&at);
        for (const auto& kv : out.metadata)
          if (kv.first == k) j.fail("metadata key '" + k + "' appears twice");
        if (k == kCrcKey) crc_at = at;
        out.metadata.emplace_back(k, v);
      }
      j.expect('}');
      continue;
    }
    if (!valid_name(key)) j.fail("tensor name '" + key + "' is not 1–128 visible ASCII characters");
    for (const Pending& p : pending)
      if (p.t.name == key) j.fail("tensor '" + key + "' appears twice");
    if (pending.size() == kMaxSafetensorsTensors) j.fail("more than " + std::to_string(kMaxSafetensorsTensors) + " tensors");
    Pending p;
    p.t.name = key;
    bool has_dtype = false, has_shape = false, has_offsets = false;
    j.expect('{');
    bool efirst = true;
    while (!j.peek('}')) {
      if (!efirst) j.expect(',');
      efirst = false;
      const std::string field = j.string();
      j.expect(':');
      if (field == "dtype" && !has_dtype) {
        p.t.dtype = parse_dtype(j.string(), j);
        has_dtype = true;
      } else if (field == "shape" && !has_shape) {
        for (std::uint64_t d : j.integers(kMaxSafetensorsDims)) p.t.shape.push_back(static_cast<std::size_t>(d));
        has_shape = true;
      } else if (field == "data_offsets" && !has_offsets) {
        const std::vector<std::uint64_t> o = j.integers(2);
        if (o.size() != 2) j.fail("tensor '" + key + "': data_offsets needs two numbers");
        p.begin = o[0];
        p.end = o[1];
        has_offsets = true;
      } else {
        j.fail("tensor '" + key + "': unexpected or repeated field '" + field + "'");
      }
    }
    j.expect('}');
    if (!has_dtype || !has_shape || !has_offsets) j.fail("tensor '" + key + "' lacks dtype, shape or data_offsets");
    std::uint64_t count = 1;
    for (std::size_t d : p.t.shape) {
      if (d > kMaxSafetensorsValues) j.fail("tensor '" + key + "' is too large");
      count *= d;
      if (count > kMaxSafetensorsValues) j.fail("tensor '" + key + "' is too large");
    }
    total_values += count;
    if (total_values > kMaxSafetensorsValues)
      j.fail("the tensors hold more than " + std::to_string(kMaxSafetensorsValues) + " values");
    if (p.end < p.begin || p.end - p.begin != count * dtype_bytes(p.t.dtype))
      j.fail("tensor '" + key + "': data_offsets [" + std::to_string(p.begin) + ", " + std::to_string(p.end) +
             ") do not hold " + std::to_string(count) + " " + dtype_name(p.t.dtype) + " values");
    pending.push_back(std::move(p));
  }
  j.expect('}');
  if (!j.at_end()) j.fail("bytes after the header's closing brace (only spaces may pad it)");

  // The tensors tile the data exactly: sorted by offset, each starts where the last ended.
  std::vector<std::size_t> order(pending.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pending[a].begin < pending[b].begin; });
  std::uint64_t at = 0;
  for (std::size_t i : order) {
    if (pending[i].begin != at)
      throw SafetensorsError("safetensors: tensor '" + pending[i].t.name + "' starts at data byte " +
                             std::to_string(pending[i].begin) + ", expected " + std::to_string(at) + " (gap or overlap)");
    at = pending[i].end;
  }
  if (at != data_size)
    throw SafetensorsError("safetensors: the tensors cover " + std::to_string(at) + " data bytes, the file has " +
                           std::to_string(data_size) + (at > data_size ? " (truncated?)" : ""));

  // GenLab's own files: every genlab.* key present and the checksum right.
  bool genlab = false;
  for (const auto& kv : out.metadata) genlab = genlab || genlab_key(kv.first);
  if (genlab) {
    if (crc_at == 0) throw SafetensorsError("safetensors: GenLab metadata without its genlab.crc32 checksum");
    const std::string& v = *out.meta(kCrcKey);
    if (v.size() != 8 || !std::all_of(v.begin(), v.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }) ||
        std::memcmp(bytes + crc_at, v.data(), 8) != 0)
      throw SafetensorsError("safetensors: genlab.crc32 is not 8 lowercase hex digits");
    static const std::uint8_t zeros[8] = {'0', '0', '0', '0', '0', '0', '0', '0'};
    std::uint32_t crc = crc32(bytes, crc_at);
    crc = crc32(zeros, 8, crc);
    crc = crc32(bytes + crc_at + 8, n - crc_at - 8, crc);
    const std::uint32_t stated = static_cast<std::uint32_t>(std::stoul(v, nullptr, 16));
    if (crc != stated) throw SafetensorsError("safetensors: checksum mismatch (the file is damaged)");
  }

  // Values, in data order.
  const std::uint8_t* data = bytes + data_start;
  for (std::size_t i : order) {
    Pending& p = pending[i];
    const std::uint8_t* b = data + p.begin;
    const std::size_t count = static_cast<std::size_t>((p.end - p.begin) / dtype_bytes(p.t.dtype));
    if (p.t.dtype == Dtype::I64) {
      p.t.ints.resize(count);
      for (std::size_t k = 0; k < count; ++k) p.t.ints[k] = static_cast<std::int64_t>(read_u64(b + 8 * k));
    } else if (p.t.dtype == Dtype::I8) {  // small integers, exact as floats (quantized weights: io/quantize.hpp)
      p.t.values.resize(count);
      for (std::size_t k = 0; k < count; ++k) p.t.values[k] = static_cast<float>(static_cast<std::int8_t>(b[k]));
    } else {
      p.t.values.resize(count);
      for (std::size_t k = 0; k < count; ++k) {
        float f;
        if (p.t.dtype == Dtype::F32) {
          const std::uint32_t x = static_cast<std::uint32_t>(b[4 * k]) | static_cast<std::uint32_t>(b[4 * k + 1]) << 8 |
                                  static_cast<std::uint32_t>(b[4 * k + 2]) << 16 | static_cast<std::uint32_t>(b[4 * k + 3]) << 24;
          std::memcpy(&f, &x, 4);
        } else {
          const auto x = static_cast<std::uint16_t>(b[2 * k] | b[2 * k + 1] << 8);
          if (p.t.dtype == Dtype::F16) {
            f = half_to_float(x);
          } else {
            const std::uint32_t w = static_cast<std::uint32_t>(x) << 16;
            std::memcpy(&f, &w, 4);
          }
        }
        if (!std::isfinite(f)) throw SafetensorsError("safetensors: tensor '" + p.t.name + "' holds NaN or infinity");
        p.t.values[k] = f;
      }
    }
    out.tensors.push_back(std::move(p.t));
  }
  return out;
}

}  // namespace genlab::io
