// libFuzzer target for the model file reader (build and run: tests/fuzz/README.md).
// Each input is read twice: as it is (header checks included), and with its magic, version,
// length and checksum made valid, so that mutations reach the body parser instead of dying at the
// checksum. A rejection must be a ModelFileError; anything else escaping is a bug. An accepted file
// must write back to exactly the same bytes (the layout has no freedom) and read back bit-equal.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "genlab/io/model_file.hpp"

namespace {

[[noreturn]] void die(const char* why) {
  std::fprintf(stderr, "fuzz_model_file: %s\n", why);
  std::abort();
}

// Reads one buffer; on success checks the write → read round trip.
void check(const std::uint8_t* data, std::size_t size) {
  genlab::io::ModelFile file;
  try {
    file = genlab::io::read_model_file(data, size);
  } catch (const genlab::io::ModelFileError&) {
    return;  // rejected cleanly
  }
  const std::vector<std::uint8_t> again = genlab::io::write_model_file(file);  // must not throw
  if (again.size() != size || (size != 0 && std::memcmp(again.data(), data, size) != 0))
    die("an accepted file does not write back to the same bytes");
  if (!genlab::io::bit_equal(genlab::io::read_model_file(again), file)) die("write → read changed the model");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(data, size);
  if (size >= genlab::io::kHeaderBytes) {
    std::vector<std::uint8_t> b(data, data + size);
    std::memcpy(b.data(), "GLMF", 4);
    b[4] = genlab::io::kModelFileVersion;
    b[5] = b[6] = b[7] = 0;
    genlab::io::seal_model_file(b);
    check(b.data(), b.size());
  }
  return 0;
}
