#include "genlab/data/image_asset.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "genlab/kernels/vec.hpp"

namespace genlab {

namespace {

constexpr char kMagic[4] = {'G', 'L', 'D', 'S'};
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

std::uint64_t get_u64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(get_u32(p)) | static_cast<std::uint64_t>(get_u32(p + 4)) << 32;
}

void put_u32(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::string hex64(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 60; shift >= 0; shift -= 4) s += digits[(v >> shift) & 15];
  return s;
}

// Throws unless value ∈ [1, max]; `what` names the field for the message.
void check_range(const std::string& where, const char* what, std::size_t value, std::size_t max) {
  if (value < 1 || value > max)
    throw std::runtime_error(where + ": " + what + " " + std::to_string(value) + " is outside 1.." +
                             std::to_string(max));
}

// Empty when the name fits the header's name field, else what is wrong with it.
std::string name_problem(const std::string& name) {
  if (name.size() >= kImageAssetNameBytes)
    return "is " + std::to_string(name.size()) + " bytes, at most " + std::to_string(kImageAssetNameBytes - 1) +
           " allowed";
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c > 0x7e)
      return "has a non-printable byte " + std::to_string(c) + " at position " + std::to_string(i);
  }
  return {};
}

// Checksum of header bytes (minus the checksum field) followed by the payload, in file order.
std::uint64_t asset_checksum(const std::uint8_t* header, const std::uint8_t* pixels, std::size_t n_pixels,
                             const std::uint8_t* labels, std::size_t n_labels) {
  std::uint64_t h = fnv1a64(header, kImageAssetChecksumOffset);
  h = fnv1a64(header + kImageAssetChecksumOffset + 8, kImageAssetHeaderBytes - kImageAssetChecksumOffset - 8, h);
  h = fnv1a64(pixels, n_pixels, h);
  return fnv1a64(labels, n_labels, h);
}

// The parts of a read that follow the payload copy: checksum, then label range.
void verify_payload(const std::string& where, const std::uint8_t* header, const ImageAssetHeader& hd,
                    const ImageSet& set) {
  const std::uint64_t sum =
      asset_checksum(header, set.pixels.data(), set.pixels.size(), set.labels.data(), set.labels.size());
  if (sum != hd.checksum)
    throw std::runtime_error(where + ": checksum mismatch (header says " + hex64(hd.checksum) + ", data gives " +
                             hex64(sum) + "): the file is corrupt");
  for (std::size_t i = 0; i < set.labels.size(); ++i)
    if (set.labels[i] >= set.classes)
      throw std::runtime_error(where + ": label " + std::to_string(set.labels[i]) + " of image " + std::to_string(i) +
                               " is not below the class count " + std::to_string(set.classes));
}

ImageSet empty_set_for(const ImageAssetHeader& hd) {
  ImageSet set;
  set.name = hd.name;
  set.rows = hd.rows;
  set.cols = hd.cols;
  set.classes = hd.classes;
  return set;
}

}  // namespace

std::uint64_t fnv1a64(const std::uint8_t* bytes, std::size_t n, std::uint64_t h) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= bytes[i];
    h *= kFnvPrime;
  }
  return h;
}

void check_image_set(const ImageSet& set) {
  const std::string where = "image set '" + set.name + "'";
  const std::string bad_name = name_problem(set.name);
  if (!bad_name.empty()) throw std::invalid_argument(where + ": name " + bad_name);
  try {
    check_range(where, "count", set.count(), kImageAssetMaxCount);
    check_range(where, "rows", set.rows, kImageAssetMaxSide);
    check_range(where, "cols", set.cols, kImageAssetMaxSide);
    check_range(where, "classes", set.classes, kImageAssetMaxClasses);
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(e.what());
  }
  const std::uint64_t payload = std::uint64_t{set.count()} * (std::uint64_t{set.rows} * set.cols + 1);
  if (payload > kImageAssetMaxPayloadBytes)
    throw std::invalid_argument(where + ": " + std::to_string(payload) + " payload bytes exceed the limit of " +
                                std::to_string(kImageAssetMaxPayloadBytes));
  if (set.pixels.size() != set.count() * set.pixels_per_image())
    throw std::invalid_argument(where + ": has " + std::to_string(set.pixels.size()) + " pixels, expected count " +
                                std::to_string(set.count()) + " × " + std::to_string(set.rows) + " × " +
                                std::to_string(set.cols));
  for (std::size_t i = 0; i < set.labels.size(); ++i)
    if (set.labels[i] >= set.classes)
      throw std::invalid_argument(where + ": label " + std::to_string(set.labels[i]) + " of image " +
                                  std::to_string(i) + " is not below the class count " + std::to_string(set.classes));
}

ImageAssetHeader parse_image_asset_header(const std::uint8_t* bytes, std::size_t n) {
  const std::string where = "image asset";
  if (bytes == nullptr || n < kImageAssetHeaderBytes)
    throw std::runtime_error(where + ": " + std::to_string(n) + " bytes is shorter than the " +
                             std::to_string(kImageAssetHeaderBytes) + "-byte header");
  if (std::memcmp(bytes, kMagic, 4) != 0) throw std::runtime_error(where + ": bad magic (not a GLDS file)");
  ImageAssetHeader hd;
  hd.version = get_u32(bytes + 4);
  if (hd.version != kImageAssetVersion)
    throw std::runtime_error(where + ": unsupported format version " + std::to_string(hd.version) +
                             " (this reader knows version " + std::to_string(kImageAssetVersion) + ")");
  hd.count = get_u32(bytes + 8);
  hd.rows = get_u32(bytes + 12);
  hd.cols = get_u32(bytes + 16);
  hd.classes = get_u32(bytes + 20);
  check_range(where, "count", hd.count, kImageAssetMaxCount);
  check_range(where, "rows", hd.rows, kImageAssetMaxSide);
  check_range(where, "cols", hd.cols, kImageAssetMaxSide);
  check_range(where, "classes", hd.classes, kImageAssetMaxClasses);
  if (hd.payload_bytes() > kImageAssetMaxPayloadBytes)
    throw std::runtime_error(where + ": header declares " + std::to_string(hd.payload_bytes()) +
                             " payload bytes, more than the limit of " + std::to_string(kImageAssetMaxPayloadBytes));
  hd.checksum = get_u64(bytes + kImageAssetChecksumOffset);

  const std::uint8_t* name = bytes + kImageAssetNameOffset;
  std::size_t len = 0;
  while (len < kImageAssetNameBytes && name[len] != 0) ++len;
  if (len == kImageAssetNameBytes) throw std::runtime_error(where + ": name field is not NUL-terminated");
  for (std::size_t i = len; i < kImageAssetNameBytes; ++i)
    if (name[i] != 0) throw std::runtime_error(where + ": name padding byte " + std::to_string(i) + " is not zero");
  hd.name.assign(reinterpret_cast<const char*>(name), len);
  const std::string bad_name = name_problem(hd.name);
  if (!bad_name.empty()) throw std::runtime_error(where + ": name " + bad_name);
  return hd;
}

ImageSet read_image_asset(const std::uint8_t* bytes, std::size_t n) {
  const ImageAssetHeader hd = parse_image_asset_header(bytes, n);
  const std::string where = "image asset '" + hd.name + "'";
  const std::uint64_t have = n;
  if (have != hd.total_bytes())
    throw std::runtime_error(where + ": " + std::to_string(have) + " bytes, but the header (" +
                             std::to_string(hd.count) + " images of " + std::to_string(hd.rows) + "×" +
                             std::to_string(hd.cols) + ") needs " + std::to_string(hd.total_bytes()) +
                             (have < hd.total_bytes() ? " (truncated)" : ""));
  ImageSet set = empty_set_for(hd);
  const std::uint8_t* pixels = bytes + kImageAssetHeaderBytes;
  const std::size_t n_pixels = hd.count * hd.rows * hd.cols;
  set.pixels.assign(pixels, pixels + n_pixels);
  set.labels.assign(pixels + n_pixels, pixels + n_pixels + hd.count);
  verify_payload(where, bytes, hd, set);
  return set;
}

std::vector<std::uint8_t> write_image_asset(const ImageSet& set) {
  check_image_set(set);
  std::vector<std::uint8_t> out(kImageAssetHeaderBytes + set.pixels.size() + set.labels.size(), 0);
  std::memcpy(out.data(), kMagic, 4);
  put_u32(out.data() + 4, kImageAssetVersion);
  put_u32(out.data() + 8, set.count());
  put_u32(out.data() + 12, set.rows);
  put_u32(out.data() + 16, set.cols);
  put_u32(out.data() + 20, set.classes);
  std::memcpy(out.data() + kImageAssetNameOffset, set.name.data(), set.name.size());
  std::memcpy(out.data() + kImageAssetHeaderBytes, set.pixels.data(), set.pixels.size());
  std::memcpy(out.data() + kImageAssetHeaderBytes + set.pixels.size(), set.labels.data(), set.labels.size());
  put_u64(out.data() + kImageAssetChecksumOffset,
          asset_checksum(out.data(), set.pixels.data(), set.pixels.size(), set.labels.data(), set.labels.size()));
  return out;
}

ImageSet load_image_asset(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("image asset " + path + ": cannot open the file");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) throw std::runtime_error("image asset " + path + ": cannot tell the file size");
  const auto n = static_cast<std::uint64_t>(size);

  std::array<std::uint8_t, kImageAssetHeaderBytes> header{};
  const std::size_t head_n = n < header.size() ? static_cast<std::size_t>(n) : header.size();
  in.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(head_n));
  if (!in) throw std::runtime_error("image asset " + path + ": cannot read the header");
  ImageAssetHeader hd;
  try {
    hd = parse_image_asset_header(header.data(), head_n);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  const std::string where = "image asset " + path;
  // The size check comes before any allocation: a header can only claim what the file holds.
  if (n != hd.total_bytes())
    throw std::runtime_error(where + ": file is " + std::to_string(n) + " bytes, but its header needs " +
                             std::to_string(hd.total_bytes()) + (n < hd.total_bytes() ? " (truncated)" : ""));
  ImageSet set = empty_set_for(hd);
  set.pixels.resize(hd.count * hd.rows * hd.cols);
  set.labels.resize(hd.count);
  in.read(reinterpret_cast<char*>(set.pixels.data()), static_cast<std::streamsize>(set.pixels.size()));
  in.read(reinterpret_cast<char*>(set.labels.data()), static_cast<std::streamsize>(set.labels.size()));
  if (!in) throw std::runtime_error(where + ": read failed part-way through the payload");
  verify_payload(where, header.data(), hd, set);
  return set;
}

float byte_to_unit(std::uint8_t v) { return static_cast<float>(v) / 255.0f; }

void images_to_tensor(const ImageSet& set, std::size_t first, std::size_t n, Tensor2& out) {
  const std::size_t d = set.pixels_per_image();
  if (first > set.count() || n > set.count() - first)
    throw std::invalid_argument("images_to_tensor: images " + std::to_string(first) + ".." +
                                std::to_string(first + n) + " are outside the set of " +
                                std::to_string(set.count()));
  if (rows(out) != n || cols(out) != d)
    throw std::invalid_argument("images_to_tensor: output is (" + std::to_string(rows(out)) + ", " +
                                std::to_string(cols(out)) + "), expected (" + std::to_string(n) + ", " +
                                std::to_string(d) + ")");
  const std::uint8_t* src = set.image(first);
  float* dst = out.data();
  kernels::bytes_to_unit(src, dst, n * d);  // = byte_to_unit per pixel, bit for bit
}

}  // namespace genlab
